package dev.quarry.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Starts the stack's child processes with their output in .quarry/logs and a pid file each in
 * .quarry/pids, so that {@code down} finds and stops every one of them even after a crash.
 */
public final class ChildProcesses {
    private final StackConfig config;
    private final List<Process> started = Collections.synchronizedList(new ArrayList<>());

    public ChildProcesses(StackConfig config) {
        this.config = config;
    }

    public Process start(String name, List<String> command, Map<String, String> env, Path workDir) {
        try {
            Files.createDirectories(config.logs());
            Files.createDirectories(config.pids());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(config.logs().resolve(name + ".log").toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            Files.writeString(config.pids().resolve(name + ".pid"), Long.toString(p.pid()));
            started.add(p);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** The processes this JVM started that still run. */
    public List<Process> running() {
        synchronized (started) {
            started.removeIf(p -> !p.isAlive());
            return List.copyOf(started);
        }
    }

    /** Stops one process and forgets its pid file, so a later {@code down} cannot hit a reused pid. */
    public void stop(String name, Process process) {
        terminate(process.toHandle());
        started.remove(process);
        Path pidFile = config.pids().resolve(name + ".pid");
        if (readPid(pidFile).filter(pid -> pid == process.pid()).isPresent()) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // killRecorded finds the process gone
            }
        }
    }

    /** Stops what this JVM started, newest first: functions before the servers they use. */
    public void stopAll() {
        List<Process> copy = new ArrayList<>(started);
        Collections.reverse(copy);
        copy.forEach(p -> terminate(p.toHandle()));
        started.clear();
    }

    /** Stops every process that still has a pid file: the safety net for a stack that crashed. */
    public static int killRecorded(Path pidsDir) {
        int killed = 0;
        if (!Files.isDirectory(pidsDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(pidsDir)) {
            for (Path f : files.toList()) {
                Optional<ProcessHandle> handle = readPid(f).flatMap(ProcessHandle::of);
                if (handle.isPresent() && handle.get().isAlive()) {
                    terminate(handle.get());
                    killed++;
                }
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read pid files in " + pidsDir + ": " + e.getMessage(), e);
        }
        return killed;
    }

    public static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void terminate(ProcessHandle handle) {
        List<ProcessHandle> children = handle.descendants().toList();
        handle.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            handle.onExit().get(Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
