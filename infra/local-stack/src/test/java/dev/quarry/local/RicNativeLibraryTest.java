package dev.quarry.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The runtime interface client's JNI library, unpacked once for every sandbox of a stack. */
class RicNativeLibraryTest {

    private static List<Path> ricJars() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(p -> p.contains("aws-lambda-java-runtime-interface-client")).map(Path::of).toList();
    }

    @Test
    void is_unpacked_from_the_client_jar_as_a_shared_library() throws Exception {
        Path lib = LambdaService.unpackRicNativeLibrary(ricJars(), dir);

        byte[] head = new byte[4];
        try (var in = Files.newInputStream(lib)) {
            assertThat(in.read(head)).isEqualTo(4);
        }
        assertThat(head).as("an ELF shared object").containsExactly(0x7f, 'E', 'L', 'F');
        try (var files = Files.list(dir)) {
            assertThat(files).as("no partial file left").containsExactly(lib);
        }
    }

    @Test
    void a_sandbox_starting_while_another_stack_unpacks_it_never_reads_a_partial_file() throws Exception {
        Path lib = LambdaService.unpackRicNativeLibrary(ricJars(), dir);
        long size = Files.size(lib);
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 40; i++) {
                    LambdaService.unpackRicNativeLibrary(ricJars(), dir);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                writing.set(false);
            }
        });
        writer.start();
        int reads = 0;
        while (writing.get()) {
            // what System.load sees: the whole library or nothing new, never a file still being written
            assertThat(Files.readAllBytes(lib)).hasSize((int) size);
            reads++;
        }
        writer.join();
        assertThat(reads).isPositive();
    }

    @TempDir
    Path dir;
}
