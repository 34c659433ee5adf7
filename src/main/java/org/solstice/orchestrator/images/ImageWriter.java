package org.solstice.orchestrator.images;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.solstice.orchestrator.config.Decompression;

/**
 * Decodes a source stream, hashes the decoded bytes (the image as it will be on disk) and writes them sparsely
 * to a file, in one streaming pass; hashing and writing run on a second thread ({@link HashingWriter}). zstd frames may use windows up to 2 GiB ({@code zstd --long=31}).
 */
final class ImageWriter {
    /** The largest window {@code zstd --long} can produce on 64-bit hosts. */
    static final int ZSTD_WINDOW_LOG_MAX = 31;

    private ImageWriter() {
    }

    /** Size and SHA-256 (lower-case hex) of the bytes written. */
    record Written(long size, String sha256) {
    }

    /**
     * @param target an empty file to write to, or null to only hash (the source already is the image)
     * @param name   the image's name, for the writer thread's name
     */
    static Written write(InputStream source, Decompression decompress, Path target, String name)
            throws IOException {
        try (HashingWriter writer = new HashingWriter(target, name);
             InputStream decoded = decoder(source, decompress)) {
            while (true) {
                byte[] buffer = writer.borrow();
                int n = decoded.readNBytes(buffer, 0, buffer.length);
                if (n <= 0) {
                    return writer.finish();
                }
                writer.submit(buffer, n);
            }
        }
    }

    static InputStream decoder(InputStream source, Decompression decompress) throws IOException {
        if (decompress == Decompression.ZSTD) {
            ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(source);
            zstd.setLongMax(ZSTD_WINDOW_LOG_MAX);
            return zstd;
        }
        return source;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
