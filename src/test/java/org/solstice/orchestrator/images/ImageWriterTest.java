package org.solstice.orchestrator.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.solstice.orchestrator.images.TestImages.diskLike;
import static org.solstice.orchestrator.images.TestImages.sha256;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.config.Decompression;
import org.solstice.orchestrator.process.CommandResult;
import org.solstice.orchestrator.process.CommandRunner;

/** Decoding, hashing and sparse writing of one image stream. */
class ImageWriterTest {
    @TempDir
    Path dir;

    @Test
    void zstdLongWindowImages_decode() throws IOException {
        byte[] raw = diskLike(1024 * 1024, 7);
        for (int windowLog : List.of(27, 28)) {
            // from stdin the size is unknown, so the frame keeps the full window: 2^28 needs the raised limit
            byte[] compressed = zstdCli(raw, "--long=" + windowLog);
            Path target = Files.createFile(dir.resolve("long" + windowLog + ".img"));

            ImageWriter.Written written = ImageWriter.write(new ByteArrayInputStream(compressed),
                    Decompression.ZSTD, target, "test");

            assertThat(Files.readAllBytes(target)).isEqualTo(raw);
            assertThat(written.sha256()).isEqualTo(sha256(raw));
            assertThat(written.size()).isEqualTo(raw.length);
        }
    }

    @Test
    void zstdLongWindow28_isRefusedByADecoderWithTheDefaultLimit() throws IOException {
        // shows the test above exercises the raised limit rather than passing anyway
        byte[] compressed = zstdCli(diskLike(1024 * 1024, 7), "--long=28");
        assertThatThrownBy(() -> {
            try (InputStream in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(compressed))) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("Frame requires too much memory");
    }

    @Test
    void zeroBlocksBecomeHoles_andTheFileKeepsItsFullLength() throws IOException {
        byte[] raw = new byte[8 * 1024 * 1024];
        raw[5 * 4096 + 17] = 1; // one data block; everything else, including the end, is zeros
        Path target = Files.createFile(dir.resolve("sparse.img"));

        ImageWriter.Written written = ImageWriter.write(new ByteArrayInputStream(raw), Decompression.NONE, target, "test");

        assertThat(Files.size(target)).isEqualTo(raw.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(raw);
        assertThat(written.sha256()).isEqualTo(sha256(raw));
        CommandResult blocks = new CommandRunner().check(List.of("stat", "-c", "%b", target.toString()),
                Duration.ofSeconds(10));
        long allocated = Long.parseLong(blocks.stdout().trim()) * 512;
        assertThat(allocated).as("bytes allocated on disk").isLessThan(1024 * 1024);
    }

    @Test
    void diskLikeDataWithUnalignedReads_isWrittenExactly() throws IOException {
        byte[] raw = diskLike(2 * 1024 * 1024 + 123, 9);
        raw[raw.length - 1] = 42;
        Path target = Files.createFile(dir.resolve("mixed.img"));
        InputStream trickle = new ByteArrayInputStream(raw) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 10_007)); // reads that never line up with 4 KiB blocks
            }
        };

        ImageWriter.write(trickle, Decompression.NONE, target, "test");

        assertThat(Files.readAllBytes(target)).isEqualTo(raw);
    }

    @Test
    void imagesLargerThanTheFlushInterval_areWrittenCompletely() throws IOException {
        long size = 72L << 20; // past the 64 MiB mark where a background flush starts
        java.security.MessageDigest expected = ImageWriter.sha256();
        InputStream pattern = new InputStream() {
            private long position;

            @Override
            public int read() {
                return position < size ? (int) (position++ * 31 % 251) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) (position++ * 31 % 251);
                }
                expected.update(b, off, n);
                return n;
            }
        };
        Path target = Files.createFile(dir.resolve("large.img"));

        ImageWriter.Written written = ImageWriter.write(pattern, Decompression.NONE, target, "test");

        String hex = java.util.HexFormat.of().formatHex(expected.digest());
        assertThat(written.sha256()).isEqualTo(hex);
        assertThat(Files.size(target)).isEqualTo(size);
        java.security.MessageDigest onDisk = ImageWriter.sha256();
        try (InputStream in = Files.newInputStream(target)) {
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                onDisk.update(buffer, 0, n);
            }
        }
        assertThat(java.util.HexFormat.of().formatHex(onDisk.digest())).isEqualTo(hex);
    }

    @Test
    void aFullDisk_isAWriteFailureNotACorruptArchive() {
        byte[] raw = diskLike(4 * 1024 * 1024, 10);
        Path full = Path.of("/dev/full"); // every write fails with ENOSPC
        assertThat(Files.isWritable(full)).as("/dev/full is needed for this test").isTrue();

        assertThatThrownBy(() -> ImageWriter.write(new ByteArrayInputStream(TestImages.zstd(raw)),
                Decompression.ZSTD, full, "test"))
                .isInstanceOf(HashingWriter.WriteFailedException.class)
                .hasMessageContaining("No space left on device");
    }

    private byte[] zstdCli(byte[] raw, String option) throws IOException {
        Path input = dir.resolve("input.raw");
        Files.write(input, raw);
        Process process = new ProcessBuilder("zstd", "-q", "-c", option)
                .redirectInput(input.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        try {
            assertThat(process.waitFor()).as("zstd " + option + " exit status").isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }
}
