package org.solstice.orchestrator.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.solstice.orchestrator.images.TestImages.diskLike;
import static org.solstice.orchestrator.images.TestImages.image;
import static org.solstice.orchestrator.images.TestImages.sha256;
import static org.solstice.orchestrator.images.TestImages.zstd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.config.Decompression;
import org.solstice.orchestrator.config.ImageDefinition;

/** Fetching images over HTTP from a server that misbehaves in every way the issue lists, and from files. */
class ImagePreparerTest {
    private static final PreparationOptions FAST = PreparationOptions.defaults()
            .withConnectTimeout(Duration.ofSeconds(5))
            .withStallTimeout(Duration.ofMillis(500))
            .withMaxAttempts(3)
            .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .withProgressInterval(Duration.ofMillis(50));

    @TempDir
    Path dir;
    ImageTestServer server;
    final byte[] raw = diskLike(3 * 1024 * 1024 + 4096, 1);
    final byte[] compressed = zstd(raw);

    @BeforeEach
    void startServer() throws IOException {
        server = new ImageTestServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void servesNormally_zstdImageIsDecompressedVerifiedAndRecorded() throws IOException {
        server.serve("/img.zst", compressed);
        ImageDefinition def = zstdImage("/img.zst", sha256(raw));

        PreparationOutcome outcome = prepare(def);

        assertThat(outcome.result()).isEqualTo(PreparationOutcome.Result.PREPARED);
        assertThat(outcome.bytesDownloaded()).isEqualTo(compressed.length);
        assertThat(Files.readAllBytes(def.localPath())).isEqualTo(raw);
        ImageRecord record = ImageRecord.read(files(def).sidecar()).orElseThrow();
        assertThat(record.source()).isEqualTo(def.source().toString());
        assertThat(record.sha256()).isEqualTo(sha256(raw));
        assertThat(record.size()).isEqualTo(raw.length);
        assertThat(ImageOnDisk.of(def).state()).isEqualTo(ImageState.READY);
        assertOnlyImageAndSidecar(def);
    }

    @Test
    void servesNormally_uncompressedImageWithoutChecksumIsRecordedWithItsHash() throws IOException {
        server.serve("/img.raw", raw);
        ImageDefinition def = image("plain", server.uri("/img.raw"), dir.resolve("plain.img"),
                Decompression.NONE, null);

        prepare(def);

        assertThat(Files.readAllBytes(def.localPath())).isEqualTo(raw);
        assertThat(ImageRecord.read(files(def).sidecar()).orElseThrow().sha256()).isEqualTo(sha256(raw));
        assertOnlyImageAndSidecar(def);
    }

    @Test
    void readyImageIsNotFetchedAgain() {
        server.serve("/img.zst", compressed);
        ImageDefinition def = zstdImage("/img.zst", sha256(raw));
        prepare(def);

        PreparationOutcome again = prepare(def);

        assertThat(again.result()).isEqualTo(PreparationOutcome.Result.ALREADY_READY);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void notFound_failsAtOnceNamingImageUrlAndStatus() {
        ImageDefinition def = zstdImage("/missing.zst", null);

        assertThatThrownBy(() -> prepare(def))
                .isInstanceOf(ImageUnavailableException.class)
                .hasMessageContaining("image oi ")
                .hasMessageContaining(def.source().toString())
                .hasMessageContaining("server answered 'HTTP/1.1 404 Not Found'")
                .hasMessageContaining("not retried");
        assertThat(server.requests()).hasSize(1);
        assertNothingLeft(def);
    }

    @Test
    void serverError_isRetriedUpToTheLimitThenFails() {
        server.serve("/img.zst", compressed).status(500);
        ImageDefinition def = zstdImage("/img.zst", null);

        assertThatThrownBy(() -> prepare(def))
                .isInstanceOf(ImageUnavailableException.class)
                .hasMessageContaining("image oi ")
                .hasMessageContaining(def.source().toString())
                .hasMessageContaining("'HTTP/1.1 500 Internal Server Error'")
                .hasMessageContaining("gave up after 3 attempts");
        assertThat(server.requests()).hasSize(3);
        assertNothingLeft(def);
    }

    @Test
    void checksumMismatch_leavesNothingAtLocalPath() {
        server.serve("/img.zst", compressed);
        String wrong = sha256("something else".getBytes());
        ImageDefinition def = zstdImage("/img.zst", wrong);

        assertThatThrownBy(() -> prepare(def))
                .isInstanceOf(ImageUnavailableException.class)
                .hasMessageContaining("image oi ")
                .hasMessageContaining(def.source().toString())
                .hasMessageContaining("SHA-256 of the decompressed image (" + raw.length + " bytes) is "
                        + sha256(raw) + " but the image map expects " + wrong)
                .hasMessageContaining("'HTTP/1.1 200 OK'");
        assertThat(server.requests()).hasSize(1);
        assertNothingLeft(def);
    }

    @Test
    void truncatedZstdFrame_isAClearErrorAndNothingIsKept() {
        server.serve("/img.zst", Arrays.copyOf(compressed, compressed.length / 2));
        ImageDefinition def = zstdImage("/img.zst", null);

        assertThatThrownBy(() -> prepare(def))
                .isInstanceOf(ImageUnavailableException.class)
                .hasMessageContaining("image oi ")
                .hasMessageContaining(def.source().toString())
                .hasMessageContaining("cannot decompress (zstd)")
                .hasMessageContaining("'HTTP/1.1 200 OK'");
        assertThat(server.requests()).hasSize(1);
        assertNothingLeft(def);
    }

    @Test
    void droppedConnection_isResumedWithRangeAndIfRange() throws IOException {
        server.serve("/img.zst", compressed).dropOnce(compressed.length / 3);
        ImageDefinition def = zstdImage("/img.zst", sha256(raw));

        PreparationOutcome outcome = prepare(def);

        assertThat(Files.readAllBytes(def.localPath())).isEqualTo(raw);
        List<ImageTestServer.Request> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).range()).isNull();
        assertThat(requests.get(1).range()).matches("bytes=[1-9]\\d*-");
        assertThat(requests.get(1).ifRange()).isEqualTo("\"v1\"");
        long resumedAt = Long.parseLong(requests.get(1).range().replaceAll("\\D", ""));
        assertThat(resumedAt).isLessThanOrEqualTo(compressed.length / 3);
        assertThat(outcome.bytesDownloaded()).as("each byte downloaded once").isEqualTo(compressed.length);
        assertThat(outcome.attempts()).isEqualTo(2);
        assertOnlyImageAndSidecar(def);
    }

    @Test
    void resumeUsesLastModifiedWhenThereIsNoEtag() throws IOException {
        ImageTestServer.Resource resource = server.serve("/img.zst", compressed).dropOnce(compressed.length / 2);
        resource.etag = null;
        ImageDefinition def = zstdImage("/img.zst", sha256(raw));

        prepare(def);

        assertThat(Files.readAllBytes(def.localPath())).isEqualTo(raw);
        assertThat(server.requests().get(1).ifRange()).isEqualTo(resource.lastModified);
    }

    @Test
    void serverIgnoringRange_meansAFullDownloadFromScratch() throws IOException {
        server.serve("/img.zst", compressed).dropOnce(compressed.length / 3).ignoringRange();
        ImageDefinition def = zstdImage("/img.zst", sha256(raw));

        PreparationOutcome outcome = prepare(def);

        assertThat(Files.readAllBytes(def.localPath())).isEqualTo(raw);
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1).range()).isNotNull();
        assertThat(outcome.bytesDownloaded()).isGreaterThan(compressed.length);
        assertOnlyImageAndSidecar(def);
    }

    @Test
    void changedEtag_meansAFullDownloadOfTheNewVersion() throws IOException {
        ImageTestServer.Resource resource = server.serve("/img.zst", compressed).dropOnce(compressed.length / 2);
        ImageDefinition def = zstdImage("/img.zst", null);
        assertThatThrownBy(() -> prepare(def, FAST.withMaxAttempts(1))).isInstanceOf(ImageUnavailableException.class);
        byte[] newRaw = diskLike(raw.length, 2);
        resource.body = zstd(newRaw);
        resource.etag = "\"v2\"";

        prepare(def);

        assertThat(Files.readAllBytes(def.localPath())).isEqualTo(newRaw);
        assertThat(server.requests().get(1).ifRange()).isEqualTo("\"v1\"");
    }

    @Test
    void droppedConnectionWithNoAttemptsLeft_keepsAResumablePartAndNothingAtLocalPath() throws IOException {
        server.serve("/img.zst", compressed).dropOnce(compressed.length / 2);
        ImageDefinition def = zstdImage("/img.zst", sha256(raw));

        assertThatThrownBy(() -> prepare(def, FAST.withMaxAttempts(1)))
                .isInstanceOf(ImageUnavailableException.class)
                .hasMessageContaining("image oi ")
                .hasMessageContaining(def.source().toString())
                .hasMessageMatching("(?s).*connection closed at byte \\d+ of " + compressed.length + ".*")
                .hasMessageContaining("'HTTP/1.1 200 OK'")
                .hasMessageContaining("partial download kept for resuming");
        ImageFiles files = files(def);
        assertThat(def.localPath()).doesNotExist();
        assertThat(files.sidecar()).doesNotExist();
        assertThat(files.part()).exists();
        assertThat(ImageOnDisk.of(def).state()).isEqualTo(ImageState.PARTIAL);
        assertThat(tempFiles(def)).isEmpty();
        long kept = Files.size(files.part());

        PreparationOutcome outcome = prepare(def);

        assertThat(Files.readAllBytes(def.localPath())).isEqualTo(raw);
        assertThat(server.requests().get(1).range()).isEqualTo("bytes=" + kept + "-");
        assertThat(outcome.bytesDownloaded()).isEqualTo(compressed.length - kept);
        assertOnlyImageAndSidecar(def);
    }

    @Test
    void stalledTransfer_isAbortedAndResumed() throws IOException {
        server.serve("/img.zst", compressed).stall(compressed.length / 3, 5_000, 1);
        ImageDefinition def = zstdImage("/img.zst", sha256(raw));

        long start = System.nanoTime();
        prepare(def);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(Files.readAllBytes(def.localPath())).isEqualTo(raw);
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1).range()).startsWith("bytes=");
    }

    @Test
    void stallingEveryTime_failsSayingSo() {
        server.serve("/img.zst", compressed).stall(1000, 5_000, 10);
        ImageDefinition def = zstdImage("/img.zst", null);

        assertThatThrownBy(() -> prepare(def, FAST.withMaxAttempts(2)))
                .isInstanceOf(ImageUnavailableException.class)
                .hasMessageContaining("image oi ")
                .hasMessageContaining(def.source().toString())
                .hasMessageContaining("stalled: no bytes for 500 ms")
                .hasMessageContaining("gave up after 2 attempts");
        assertThat(def.localPath()).doesNotExist();
        assertThat(tempFiles(def)).isEmpty();
    }

    @Test
    void changedSource_fetchesTheNewImage_whileAnOpenOldImageStaysReadable() throws IOException {
        byte[] newRaw = diskLike(raw.length, 3);
        server.serve("/v1.zst", compressed);
        server.serve("/v2.zst", zstd(newRaw));
        ImageDefinition v1 = zstdImage("/v1.zst", null);
        prepare(v1);
        ImageDefinition v2 = zstdImage("/v2.zst", null);
        assertThat(ImageOnDisk.of(v2).state()).isEqualTo(ImageState.STALE);

        try (FileChannel runningVm = FileChannel.open(v1.localPath())) {
            PreparationOutcome outcome = prepare(v2);

            assertThat(outcome.result()).isEqualTo(PreparationOutcome.Result.PREPARED);
            assertThat(Files.readAllBytes(v2.localPath())).isEqualTo(newRaw);
            assertThat(ImageRecord.read(files(v2).sidecar()).orElseThrow().source()).endsWith("/v2.zst");
            ByteBuffer old = ByteBuffer.allocate(raw.length);
            while (old.hasRemaining() && runningVm.read(old) > 0) {
                // read the whole old image through the descriptor opened before the swap
            }
            assertThat(old.array()).isEqualTo(raw);
        }
        assertOnlyImageAndSidecar(v2);
    }

    @Test
    void changedChecksum_fetchesAgain() throws IOException {
        ImageTestServer.Resource resource = server.serve("/img.zst", compressed);
        prepare(zstdImage("/img.zst", null));
        byte[] newRaw = diskLike(raw.length, 4);
        resource.body = zstd(newRaw);
        ImageDefinition pinned = zstdImage("/img.zst", sha256(newRaw));

        assertThat(ImageOnDisk.of(pinned).state()).isEqualTo(ImageState.STALE);
        prepare(pinned);

        assertThat(Files.readAllBytes(pinned.localPath())).isEqualTo(newRaw);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void anImagePlacedByHand_isAdoptedWhenItHasTheMapsChecksum() throws IOException {
        server.serve("/img.zst", compressed);
        ImageDefinition def = zstdImage("/img.zst", sha256(raw));
        Files.write(def.localPath(), raw);
        assertThat(ImageOnDisk.of(def).state()).isEqualTo(ImageState.STALE);

        PreparationOutcome outcome = prepare(def);

        assertThat(outcome.result()).isEqualTo(PreparationOutcome.Result.ALREADY_READY);
        assertThat(server.requests()).isEmpty();
        assertThat(ImageOnDisk.of(def).state()).isEqualTo(ImageState.READY);
        assertOnlyImageAndSidecar(def);
    }

    @Test
    void anImagePlacedByHandWithAnotherChecksum_isReplaced() throws IOException {
        server.serve("/img.zst", compressed);
        ImageDefinition def = zstdImage("/img.zst", sha256(raw));
        Files.write(def.localPath(), diskLike(raw.length, 8));

        PreparationOutcome outcome = prepare(def);

        assertThat(outcome.result()).isEqualTo(PreparationOutcome.Result.PREPARED);
        assertThat(server.requests()).hasSize(1);
        assertThat(Files.readAllBytes(def.localPath())).isEqualTo(raw);
    }

    @Test
    void fileSource_isDecompressedInPlaceWithoutAPart() throws IOException {
        Path source = dir.resolve("source.img.zst");
        Files.write(source, compressed);
        ImageDefinition def = image("local", source.toUri(), dir.resolve("images/local.img"), Decompression.ZSTD,
                sha256(raw));

        PreparationOutcome outcome = prepare(def);

        assertThat(outcome.result()).isEqualTo(PreparationOutcome.Result.PREPARED);
        assertThat(Files.readAllBytes(def.localPath())).isEqualTo(raw);
        assertOnlyImageAndSidecar(def);
    }

    @Test
    void missingFileSource_failsNamingTheFile() {
        Path source = dir.resolve("nowhere.img");
        ImageDefinition def = image("local", source.toUri(), dir.resolve("local.img"), Decompression.NONE, null);

        assertThatThrownBy(() -> prepare(def))
                .isInstanceOf(ImageUnavailableException.class)
                .hasMessageContaining("image local ")
                .hasMessageContaining(source.toUri().toString())
                .hasMessageContaining("file does not exist");
        assertNothingLeft(def);
    }

    @Test
    void leftoverTempFilesOfADeadProcess_areCleanedUp() throws IOException {
        server.serve("/img.zst", compressed);
        ImageDefinition def = zstdImage("/img.zst", null);
        Path leftover = files(def).newTemp("image");

        prepare(def);

        assertThat(leftover).doesNotExist();
        assertOnlyImageAndSidecar(def);
    }

    private ImageDefinition zstdImage(String path, String sha256) {
        return image("oi", server.uri(path), dir.resolve("oi.img"), Decompression.ZSTD, sha256);
    }

    private PreparationOutcome prepare(ImageDefinition def) {
        return prepare(def, FAST);
    }

    private static PreparationOutcome prepare(ImageDefinition def, PreparationOptions options) {
        return new ImagePreparer(options).prepare(def, ImagePreparationListener.none());
    }

    private static ImageFiles files(ImageDefinition def) {
        return new ImageFiles(def.localPath());
    }

    private static List<Path> tempFiles(ImageDefinition def) {
        ImageFiles files = files(def);
        try (Stream<Path> entries = Files.list(files.directory())) {
            return entries.filter(files::isTemp).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Nothing at local_path, no sidecar, no part, no temp files (the lock file may stay). */
    private static void assertNothingLeft(ImageDefinition def) {
        ImageFiles files = files(def);
        assertThat(def.localPath()).doesNotExist();
        assertThat(files.sidecar()).doesNotExist();
        assertThat(files.part()).doesNotExist();
        assertThat(files.partRecord()).doesNotExist();
        assertThat(tempFiles(def)).isEmpty();
    }

    private static void assertOnlyImageAndSidecar(ImageDefinition def) {
        ImageFiles files = files(def);
        assertThat(def.localPath()).exists();
        assertThat(files.sidecar()).exists();
        assertThat(files.part()).doesNotExist();
        assertThat(files.partRecord()).doesNotExist();
        assertThat(tempFiles(def)).isEmpty();
    }
}
