package org.solstice.orchestrator.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.images.TestImages.diskLike;
import static org.solstice.orchestrator.images.TestImages.image;
import static org.solstice.orchestrator.images.TestImages.sha256;
import static org.solstice.orchestrator.images.TestImages.zstd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.config.Decompression;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;

/** The daemon's view: futures that complete when an image is ready or failed for good. */
class ImagePreparationServiceTest {
    private static final PreparationOptions FAST = PreparationOptions.defaults()
            .withParallelism(2)
            .withStallTimeout(Duration.ofMillis(500))
            .withMaxAttempts(2)
            .withBackoff(Duration.ofMillis(10), Duration.ofMillis(10))
            .withProgressInterval(Duration.ofMillis(20));

    @TempDir
    Path dir;
    ImageTestServer server;
    final byte[] raw = diskLike(2 * 1024 * 1024, 5);
    final RecordingListener events = new RecordingListener();
    ImagePreparationService service;

    @BeforeEach
    void start() throws Exception {
        server = new ImageTestServer();
        server.serve("/good.zst", zstd(raw)).slow(5);
        service = new ImagePreparationService(new ImagePreparer(FAST), events);
    }

    @AfterEach
    void stop() {
        service.close();
        server.close();
    }

    @Test
    void whenReady_completesWithLocalPath_andPreparesEachImageOnce() throws Exception {
        ImageDefinition good = image("good", server.uri("/good.zst"), dir.resolve("good.img"), Decompression.ZSTD,
                sha256(raw));

        CompletableFuture<Path> first = service.whenReady(good);
        CompletableFuture<Path> second = service.whenReady(good);

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(good.localPath());
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(good.localPath());
        assertThat(Files.readAllBytes(good.localPath())).isEqualTo(raw);
        assertThat(server.requests()).hasSize(1);
        PreparationOutcome outcome = events.outcomes.get("good");
        assertThat(outcome.result()).isEqualTo(PreparationOutcome.Result.PREPARED);
        assertThat(outcome.bytesDownloaded()).isEqualTo(zstd(raw).length);
        assertThat(events.progressReports).isPositive();
    }

    @Test
    void prepareAgain_fetchesAReadyImageAgain_jobsWaitForIt_andASecondIsRefusedMeanwhile() throws Exception {
        ImageTestServer.Resource source = server.serve("/plain.img", raw);
        ImageDefinition plain = image("plain", server.uri("/plain.img"), dir.resolve("plain.img"), Decompression.NONE,
                null);
        assertThat(service.whenReady(plain).get(30, TimeUnit.SECONDS)).isEqualTo(plain.localPath());
        assertThat(service.whenReady(plain).get(30, TimeUnit.SECONDS)).isEqualTo(plain.localPath());
        assertThat(server.requests("/plain.img")).as("ready: fetched once").hasSize(1);

        byte[] changed = diskLike(2 * 1024 * 1024, 9); // the source changed behind the same URL
        source.body = changed;
        source.etag = "\"v2\"";
        source.gate = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Path> again = service.prepareAgain(plain);
        CompletableFuture<Path> job = service.whenReady(plain);
        await("the second fetch asked for").atMost(Duration.ofSeconds(30))
                .until(() -> server.requests("/plain.img").size() == 2);
        assertThatThrownBy(() -> service.prepareAgain(plain)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plain is being prepared already");
        assertThat(job).as("a job of the image waits for it").isNotDone();

        source.gate.countDown();
        assertThat(again.get(30, TimeUnit.SECONDS)).isEqualTo(plain.localPath());
        assertThat(job.get(30, TimeUnit.SECONDS)).isEqualTo(plain.localPath());
        assertThat(Files.readAllBytes(plain.localPath())).isEqualTo(changed);
        assertThat(events.outcomes.get("plain").result()).isEqualTo(PreparationOutcome.Result.PREPARED);
        assertThat(server.requests("/plain.img")).as("one fetch per preparation").hasSize(2);
    }

    @Test
    void whenReady_failsForGoodWithTheReason() {
        ImageDefinition bad = image("bad", server.uri("/nothing.zst"), dir.resolve("bad.img"), Decompression.ZSTD,
                null);

        CompletableFuture<Path> future = service.whenReady(bad);

        assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ImageUnavailableException.class)
                .hasMessageContaining("image bad is not available")
                .hasMessageContaining(bad.source().toString())
                .hasMessageContaining("404 Not Found");
        assertThat(service.whenReady(bad)).isCompletedExceptionally();
        assertThat(server.requests()).as("a permanent failure is not fetched again").hasSize(1);
        assertThat(events.outcomes.get("bad").result()).isEqualTo(PreparationOutcome.Result.FAILED);
    }

    @Test
    void prepareAll_failsNamingEveryImageThatCannotBePrepared() {
        ImageDefinition good = image("good", server.uri("/good.zst"), dir.resolve("good.img"), Decompression.ZSTD,
                null);
        ImageDefinition bad = image("bad", server.uri("/nothing.zst"), dir.resolve("bad.img"), Decompression.ZSTD,
                null);
        ImageMap map = new ImageMap(dir.resolve("map.yaml"), "good", Map.of(), Map.of(),
                Map.of("good", good, "bad", bad));

        assertThatThrownBy(() -> service.prepareAll(map))
                .isInstanceOf(ImageUnavailableException.class)
                .hasMessageContaining("image bad is not available: 1 of 2 images cannot be prepared")
                .hasMessageContaining("404 Not Found");
        assertThat(good.localPath()).exists();
    }

    @Test
    void prepareAll_returnsWhenEveryImageIsReady() throws Exception {
        byte[] other = diskLike(1024 * 1024, 6);
        server.serve("/other.img", other);
        ImageDefinition good = image("good", server.uri("/good.zst"), dir.resolve("good.img"), Decompression.ZSTD,
                null);
        ImageDefinition plain = image("plain", server.uri("/other.img"), dir.resolve("plain.img"),
                Decompression.NONE, sha256(other));
        ImageMap map = new ImageMap(dir.resolve("map.yaml"), "good", Map.of(), Map.of(),
                Map.of("good", good, "plain", plain));

        service.prepareAll(map);

        assertThat(Files.readAllBytes(good.localPath())).isEqualTo(raw);
        assertThat(Files.readAllBytes(plain.localPath())).isEqualTo(other);
        assertThat(List.copyOf(events.outcomes.keySet())).containsExactlyInAnyOrder("good", "plain");
    }

    @Test
    void close_stopsPreparationsUnderWay_andTheirThreads() throws Exception {
        server.serve("/slow.zst", zstd(raw)).slow(100);
        ImageDefinition slow = image("slow", server.uri("/slow.zst"), dir.resolve("slow.img"), Decompression.ZSTD,
                null);
        CompletableFuture<Path> future = service.whenReady(slow);
        await("the first bytes to arrive, so there is a part to keep").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10)).until(() -> events.lastPosition > 0);

        service.close();

        assertThat(future).isCompletedExceptionally();
        assertThat(slow.localPath()).doesNotExist();
        assertThat(new ImageFiles(slow.localPath()).part()).as("kept for resuming after a restart").exists();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("image-prep-") && t.isAlive());
    }

    private static final class RecordingListener implements ImagePreparationListener {
        final Map<String, PreparationOutcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        volatile int progressReports;
        volatile long lastPosition;

        @Override
        public void progress(ImageDefinition image, long position, long total) {
            progressReports++;
            lastPosition = position;
        }

        @Override
        public void finished(ImageDefinition image, PreparationOutcome outcome) {
            outcomes.put(image.name(), outcome);
        }
    }
}
