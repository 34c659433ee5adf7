package org.solstice.orchestrator.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.images.TestImages.diskLike;
import static org.solstice.orchestrator.images.TestImages.sha256;
import static org.solstice.orchestrator.images.TestImages.zstd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two orchestrator processes on one host preparing the same image at once. */
class ImageConcurrentPreparationTest {
    @TempDir
    Path dir;

    @Test
    void twoProcessesPreparingOneImage_downloadItOnceAndBothSeeTheCorrectImage() throws Exception {
        byte[] raw = diskLike(4 * 1024 * 1024, 11);
        byte[] compressed = zstd(raw);
        try (ImageTestServer server = new ImageTestServer()) {
            // the download is held until one process waits for the other's lock, so they truly overlap
            ImageTestServer.Resource resource = server.serve("/img.zst", compressed);
            resource.gate = new CountDownLatch(1);
            Path image = dir.resolve("shared.img");
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                processes.add(new ProcessBuilder(javaCommand("shared", server.uri("/img.zst").toString(),
                        image.toString(), "ZSTD", sha256(raw)))
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("process" + i + ".log").toFile())
                        .start());
            }
            Path lock = new ImageFiles(image).lock();
            await("one process to wait for the other's lock on " + lock).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptionsInstanceOf(NoSuchFileException.class) // not created yet
                    .until(() -> someoneWaitsFor(lock));
            resource.gate.countDown();
            List<String> outputs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                assertThat(processes.get(i).waitFor(60, TimeUnit.SECONDS)).as("process " + i + " ends").isTrue();
                outputs.add(Files.readString(dir.resolve("process" + i + ".log"), StandardCharsets.UTF_8));
                assertThat(processes.get(i).exitValue()).as(outputs.get(i)).isZero();
            }

            assertThat(Files.readAllBytes(image)).isEqualTo(raw);
            assertThat(server.requests()).as("one download").hasSize(1);
            assertThat(String.join("\n", outputs))
                    .contains("OUTCOME PREPARED")
                    .contains("OUTCOME ALREADY_READY")
                    .as("the second process waited for the first one's lock")
                    .contains("being prepared by another process or thread");
            ImageFiles files = new ImageFiles(image);
            assertThat(files.part()).doesNotExist();
            try (var entries = Files.list(dir)) {
                assertThat(entries.filter(files::isTemp)).isEmpty();
            }
        }
    }

    /**
     * Whether a process is blocked waiting to lock {@code file}: the kernel lists lock waiters in /proc/locks with
     * "->" before them, and names the file by device:inode.
     */
    private static boolean someoneWaitsFor(Path file) throws IOException {
        String inode = ":" + Files.getAttribute(file, "unix:ino");
        try (var lines = Files.lines(Path.of("/proc/locks"))) {
            return lines.filter(line -> line.contains("->"))
                    .anyMatch(line -> Arrays.stream(line.trim().split("\\s+")).anyMatch(f -> f.endsWith(inode)));
        }
    }

    private static List<String> javaCommand(String... args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                ImagePrepareMain.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
