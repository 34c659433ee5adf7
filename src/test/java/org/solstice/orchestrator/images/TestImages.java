package org.solstice.orchestrator.images;

import static org.solstice.orchestrator.testing.ImageDefinitions.anImage;

import com.github.luben.zstd.Zstd;
import java.net.URI;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.solstice.orchestrator.config.Decompression;
import org.solstice.orchestrator.config.ImageDefinition;

/** Test data: disk-like images (runs of zeros and random data), their zstd form and checksums. */
final class TestImages {
    private TestImages() {
    }

    /** An image of {@code size} bytes: 64 KiB blocks, about half of them zeros, ending with a zero block. */
    static byte[] diskLike(int size, long seed) {
        byte[] image = new byte[size];
        Random random = new Random(seed);
        byte[] block = new byte[64 * 1024];
        for (int at = 0; at + block.length < size; at += block.length) {
            if (random.nextBoolean()) {
                random.nextBytes(block);
                // text-like data compresses; pure random would not
                for (int i = 0; i < block.length; i += 2) {
                    block[i] = (byte) ('a' + (block[i] & 15));
                }
                System.arraycopy(block, 0, image, at, block.length);
            }
        }
        return image;
    }

    static byte[] zstd(byte[] data) {
        return Zstd.compress(data, 3);
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(ImageWriter.sha256().digest(data));
    }

    static ImageDefinition image(String name, URI source, Path localPath, Decompression decompress, String sha256) {
        return anImage().named(name).from(source).at(localPath).decompress(decompress).nocloud(false).memoryMiB(1024)
                .sha256(sha256).build();
    }
}
