package org.solstice.orchestrator.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.solstice.orchestrator.process.CommandRunner;

/** Sparse writing through direct I/O and through the page cache gives the same file. */
class SparseFileWriterTest {
    @TempDir
    Path dir;

    @Test
    void directIo_isUsedOnTheUsualLinuxFileSystems() throws IOException {
        String type = Files.getFileStore(dir).type();
        Path file = Files.createFile(dir.resolve("probe.img"));
        try (SparseFileWriter writer = new SparseFileWriter(file)) {
            if (Set.of("ext4", "xfs", "btrfs").contains(type)) {
                assertThat(writer.direct()).as("O_DIRECT on %s", type).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "direct I/O allowed: {0}")
    @ValueSource(booleans = {true, false})
    void holesDataAndAnUnalignedTail_readBackExactly(boolean allowDirect) throws IOException {
        byte[] raw = TestImages.diskLike(3 * 1024 * 1024 + 1000, 11);
        java.util.Arrays.fill(raw, 4096, 3 * 4096, (byte) 0);
        raw[raw.length - 1] = 7;
        Path file = Files.createFile(dir.resolve("image.img"));

        try (SparseFileWriter writer = new SparseFileWriter(file, allowDirect)) {
            // pieces of 1 MiB, then an odd one, as the decoder hands them over
            for (int at = 0; at < raw.length; at += 1 << 20) {
                writer.write(raw, at, Math.min(1 << 20, raw.length - at));
            }
            writer.finish();
        }

        assertThat(Files.size(file)).isEqualTo(raw.length);
        assertThat(Files.readAllBytes(file)).isEqualTo(raw);
    }

    @ParameterizedTest(name = "direct I/O allowed: {0}")
    @ValueSource(booleans = {true, false})
    void piecesOfAnyLength_mixingDirectAndCachedWrites_readBackExactly(boolean allowDirect) throws IOException {
        byte[] raw = TestImages.diskLike(9 * 1024 * 1024 + 77, 12);
        Path file = Files.createFile(dir.resolve("odd.img"));
        int[] pieces = {1 << 20, 5 * 4096, 70_001, 4096 - 70_001 % 4096, 3 << 20};

        try (SparseFileWriter writer = new SparseFileWriter(file, allowDirect)) {
            for (int at = 0, i = 0; at < raw.length; i++) {
                int n = Math.min(pieces[i % pieces.length], raw.length - at);
                writer.write(raw, at, n);
                at += n;
            }
            writer.finish();
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(raw);
    }

    @ParameterizedTest(name = "direct I/O allowed: {0}")
    @ValueSource(booleans = {true, false})
    void zeros_becomeHoles_includingATrailingOne(boolean allowDirect) throws IOException {
        byte[] raw = new byte[4 * 1024 * 1024];
        raw[1 << 20] = 1;
        Path file = Files.createFile(dir.resolve("holes.img"));

        try (SparseFileWriter writer = new SparseFileWriter(file, allowDirect)) {
            writer.write(raw, 0, raw.length);
            writer.finish();
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(raw);
        long blocks = Long.parseLong(new CommandRunner().check(List.of("stat", "-c", "%b", file.toString()),
                Duration.ofSeconds(10)).stdout().trim());
        assertThat(blocks * 512).as("bytes allocated on disk").isLessThan(256 * 1024);
    }
}
