package org.solstice.orchestrator.images;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hashes decoded image bytes and writes them sparsely, each on a thread of its own, so that decompression (or the
 * download), SHA-256 and the writes run side by side. The producer borrows a buffer, fills it and submits it; the
 * buffer goes to the hashing thread, then to the writing thread, then back to the pool, whose
 * {@value #DEPTH} buffers of {@value #BUFFER} bytes bound the memory. Without a target file, the hashing thread
 * returns the buffers itself.
 */
final class HashingWriter implements Closeable {
    static final int BUFFER = 1 << 20;
    static final int DEPTH = 8;
    private static final byte[] END = new byte[0];

    private record Chunk(byte[] data, int length) {
    }

    private interface Work {
        void run() throws IOException;
    }

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Handoff<byte[]> free = new Handoff<>(DEPTH, this::checkFailure);
    private final Handoff<Chunk> toHash = new Handoff<>(DEPTH + 1, this::checkFailure);
    private final Handoff<Chunk> toWrite = new Handoff<>(DEPTH + 1, this::checkFailure);
    private final MessageDigest digest = ImageWriter.sha256();
    private final SparseFileWriter out;
    private final Thread hasher;
    private final Thread writer;
    private long size;

    /** @param target an empty file to write, or null to only hash */
    HashingWriter(Path target, String name) throws IOException {
        this.out = target == null ? null : new SparseFileWriter(target);
        for (int i = 0; i < DEPTH; i++) {
            free.put(new byte[BUFFER]);
        }
        this.hasher = start("image-hash-" + name, this::hash);
        this.writer = out == null ? null : start("image-write-" + name, this::write);
    }

    /** A buffer to fill; waits while the hashing or the writing is behind. */
    byte[] borrow() throws IOException {
        return free.take();
    }

    /** Hands a filled buffer over; {@code length} bytes of it are image data. */
    void submit(byte[] buffer, int length) throws IOException {
        toHash.put(new Chunk(buffer, length));
    }

    /** Waits until everything is hashed, written and fsync'ed. */
    ImageWriter.Written finish() throws IOException {
        toHash.put(new Chunk(END, 0));
        try {
            hasher.join();
            if (writer != null) {
                writer.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the image");
        }
        checkFailure();
        return new ImageWriter.Written(size, HexFormat.of().formatHex(digest.digest()));
    }

    @Override
    public void close() throws IOException {
        stop(hasher);
        stop(writer);
        if (out != null) {
            out.close();
        }
    }

    private void hash() throws IOException {
        Chunk chunk;
        while ((chunk = toHash.take()).data() != END) {
            digest.update(chunk.data(), 0, chunk.length());
            size += chunk.length();
            if (out == null) {
                free.put(chunk.data());
            } else {
                toWrite.put(chunk);
            }
        }
        if (out != null) {
            toWrite.put(chunk);
        }
    }

    private void write() throws IOException {
        Chunk chunk;
        while ((chunk = toWrite.take()).data() != END) {
            out.write(chunk.data(), 0, chunk.length());
            free.put(chunk.data());
        }
        out.finish();
    }

    private Thread start(String name, Work work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e); // the first failure is the cause; later ones are its echoes
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void stop(Thread thread) {
        if (thread != null && thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void checkFailure() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new WriteFailedException("cannot write the image: " + t, t);
        }
    }

    /** Writing (not decoding) failed: e.g. the disk is full. */
    static final class WriteFailedException extends IOException {
        WriteFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
