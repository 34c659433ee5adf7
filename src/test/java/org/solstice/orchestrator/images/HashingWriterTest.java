package org.solstice.orchestrator.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The three-thread pipeline: producer, hashing thread, writing thread. */
@Timeout(30)
class HashingWriterTest {
    @TempDir
    Path dir;

    @Test
    void theHashIsTheSha256OfThePlainBytes_andTheFileHoldsThem() throws IOException {
        byte[] raw = TestImages.diskLike(HashingWriter.BUFFER * (HashingWriter.DEPTH * 3) + 5000, 3);
        Path target = Files.createFile(dir.resolve("image.img"));

        ImageWriter.Written written;
        try (HashingWriter writer = new HashingWriter(target, "test")) {
            submitAll(writer, raw, 1 << 20);
            written = writer.finish();
        }

        assertThat(written.sha256()).isEqualTo(TestImages.sha256(raw));
        assertThat(written.size()).isEqualTo(raw.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(raw);
    }

    @Test
    void withoutATarget_itOnlyHashes() throws IOException {
        byte[] raw = TestImages.diskLike(HashingWriter.BUFFER * 20 + 1, 4);

        ImageWriter.Written written;
        try (HashingWriter writer = new HashingWriter(null, "test")) {
            submitAll(writer, raw, 70_001);
            written = writer.finish();
        }

        assertThat(written.sha256()).isEqualTo(TestImages.sha256(raw));
        assertThat(written.size()).isEqualTo(raw.length);
    }

    @Test
    void aWriteFailure_reachesTheProducer_insteadOfHangingIt() {
        byte[] raw = TestImages.diskLike(HashingWriter.BUFFER * (HashingWriter.DEPTH * 4), 5);

        assertThatThrownBy(() -> {
            try (HashingWriter writer = new HashingWriter(Path.of("/dev/full"), "test")) {
                submitAll(writer, raw, HashingWriter.BUFFER); // more than the pool: the producer must wait, then fail
                writer.finish();
            }
        }).isInstanceOf(HashingWriter.WriteFailedException.class).hasMessageContaining("No space left on device");
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .as("no pipeline thread left running").doesNotContainAnyElementsOf(Set.of("image-hash-test",
                        "image-write-test"));
    }

    private static void submitAll(HashingWriter writer, byte[] raw, int piece) throws IOException {
        for (int at = 0; at < raw.length; ) {
            byte[] buffer = writer.borrow();
            int n = Math.min(Math.min(piece, buffer.length), raw.length - at);
            System.arraycopy(raw, at, buffer, 0, n);
            writer.submit(buffer, n);
            at += n;
        }
    }
}
