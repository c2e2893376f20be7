package dev.quarry.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Resident memory now and at peak (VmRSS, VmHWM from /proc) of every process of the running stack. */
final class StackMemory {

    private StackMemory() {
    }

    static void print(StackConfig config) throws IOException {
        Map<String, Long> pids = new TreeMap<>();
        ChildProcesses.readPid(config.stateDir().resolve("stack.pid")).ifPresent(p -> pids.put("stack (S3 proxy, SQS, gateway)", p));
        if (Files.isDirectory(config.pids())) {
            try (var files = Files.list(config.pids())) {
                files.forEach(f -> ChildProcesses.readPid(f).ifPresent(p -> pids.put(f.getFileName().toString().replace(".pid", ""), p)));
            }
        }
        long total = 0;
        long totalPeak = 0;
        System.out.printf("  %-34s %10s %10s%n", "process", "RSS MiB", "peak MiB");
        for (var e : pids.entrySet()) {
            long[] mem = of(e.getValue());
            if (mem != null) {
                total += mem[0];
                totalPeak += mem[1];
                System.out.printf("  %-34s %10d %10d%n", e.getKey(), mem[0] / 1024, mem[1] / 1024);
            }
        }
        System.out.printf("  %-34s %10d %10d%n", "total", total / 1024, totalPeak / 1024);
    }

    /** VmRSS in KiB, 0 when the process is gone. */
    static long residentKib(long pid) {
        long[] mem = of(pid);
        return mem == null ? 0 : mem[0];
    }

    /** {VmRSS, VmHWM} in KiB of the process (setpriv execs OpenSearch, so the pid is OpenSearch's), or null when it is gone. */
    static long[] of(long pid) {
        if (ProcessHandle.of(pid).isEmpty()) {
            return null;
        }
        long rss = 0;
        long peak = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmHWM:")) {
                    peak = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process ended meanwhile
        }
        return new long[] {rss, peak};
    }
}
