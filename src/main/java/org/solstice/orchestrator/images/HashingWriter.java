package org.solstice.orchestrator.images;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hashes decoded image bytes and writes them sparsely on a second thread, so decompression (or the download)
 * and SHA-256 run side by side. The producer borrows a buffer, fills it, and submits it; a small pool of
 * buffers bounds the memory to {@value #DEPTH} x {@value #BUFFER} bytes.
 */
final class HashingWriter implements Closeable {
    static final int BUFFER = 1 << 20;
    static final int DEPTH = 4;
    private static final byte[] END = new byte[0];

    private record Chunk(byte[] data, int length) {
    }

    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(DEPTH + 1);
    private final MessageDigest digest = ImageWriter.sha256();
    private final SparseFileWriter out;
    private final Thread worker;
    private volatile Throwable failure;
    private long size;

    /** @param target an empty file to write, or null to only hash */
    HashingWriter(Path target, String name) throws IOException {
        this.out = target == null ? null : new SparseFileWriter(target);
        for (int i = 0; i < DEPTH; i++) {
            free.add(new byte[BUFFER]);
        }
        this.worker = new Thread(this::consume, "image-write-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    /** A buffer to fill; waits while the writer is behind. */
    byte[] borrow() throws IOException {
        try {
            while (true) {
                checkFailure();
                byte[] buffer = free.poll(100, TimeUnit.MILLISECONDS);
                if (buffer != null) {
                    return buffer;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the image");
        }
    }

    /** Hands a filled buffer over; {@code length} bytes of it are image data. */
    void submit(byte[] buffer, int length) throws IOException {
        put(new Chunk(buffer, length));
    }

    /** Waits until everything is hashed, written and fsync'ed. */
    ImageWriter.Written finish() throws IOException {
        put(new Chunk(END, 0));
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the image");
        }
        checkFailure();
        return new ImageWriter.Written(size, HexFormat.of().formatHex(digest.digest()));
    }

    @Override
    public void close() throws IOException {
        if (worker.isAlive()) {
            worker.interrupt();
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (out != null) {
            out.close();
        }
    }

    private void put(Chunk chunk) throws IOException {
        try {
            while (!full.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                checkFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the image");
        }
    }

    private void checkFailure() throws IOException {
        Throwable t = failure;
        if (t != null) {
            throw new WriteFailedException("cannot write the image: " + t, t);
        }
    }

    private void consume() {
        try {
            while (true) {
                Chunk chunk = full.take();
                if (chunk.data() == END) {
                    if (out != null) {
                        out.finish();
                    }
                    return;
                }
                digest.update(chunk.data(), 0, chunk.length());
                if (out != null) {
                    out.write(chunk.data(), 0, chunk.length());
                }
                size += chunk.length();
                free.add(chunk.data());
            }
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("interrupted");
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    /** Writing (not decoding) failed: e.g. the disk is full. */
    static final class WriteFailedException extends IOException {
        WriteFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
