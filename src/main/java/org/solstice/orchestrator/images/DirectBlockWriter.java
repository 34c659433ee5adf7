package org.solstice.orchestrator.images;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes runs of whole blocks to a file opened with {@code O_DIRECT}, on a thread of its own, so that the caller
 * goes on while the disk works. Runs are copied into block-aligned staging buffers (direct I/O cannot use heap
 * arrays); consecutive runs share a buffer and go to the disk in one large write. {@value #STAGED} buffers of
 * {@value #STAGING} bytes bound the memory and how far the caller may get ahead of the disk.
 *
 * <p>Large writes matter on virtual disks: on the benchmark's, direct writes of 4 MiB ran at 1.6 GB/s, those of
 * 1 MiB at 0.9 GB/s. Writing on another thread matters because a direct write returns only when the disk has the
 * data, and it waits longer while an {@code fdatasync} is under way.
 */
final class DirectBlockWriter implements Closeable {
    static final int STAGING = 4 << 20;
    static final int STAGED = 4;

    /** A staging buffer and the file offset of its first byte. */
    private record Extent(ByteBuffer data, long at) {
    }

    private final FileChannel direct;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Handoff<ByteBuffer> free = new Handoff<>(STAGED, this::checkFailure);
    private final Handoff<Extent> toWrite = new Handoff<>(STAGED, this::checkFailure);
    private final Thread writer;
    /** The buffer being filled, null until the first run; its first byte goes to {@link #stagedAt}. */
    private ByteBuffer staging;
    private long stagedAt;

    /**
     * @param direct    the file, opened with {@code O_DIRECT}
     * @param alignment what direct I/O needs buffers aligned to (a divisor of 4096)
     */
    DirectBlockWriter(FileChannel direct, int alignment, String threadName) throws IOException {
        this.direct = direct;
        for (int i = 0; i < STAGED; i++) {
            free.put(ByteBuffer.allocateDirect(STAGING + alignment).alignedSlice(alignment).limit(STAGING));
        }
        this.writer = new Thread(this::run, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes buffer[from, to) at file offset {@code at}; both ends must be block-aligned. */
    void write(byte[] buffer, int from, int to, long at) throws IOException {
        if (staging != null && staging.position() > 0 && stagedAt + staging.position() != at) {
            handOver();
        }
        while (from < to) {
            if (staging == null) {
                staging = free.take();
            }
            if (staging.position() == 0) {
                stagedAt = at;
            }
            int n = Math.min(staging.remaining(), to - from);
            staging.put(buffer, from, n);
            from += n;
            at += n;
            if (!staging.hasRemaining()) {
                handOver();
            }
        }
    }

    /** Waits until everything handed over is written: until every staging buffer is back. */
    void drain() throws IOException {
        handOver();
        ByteBuffer[] all = new ByteBuffer[STAGED];
        for (int i = 0; i < STAGED; i++) {
            all[i] = free.take();
        }
        for (ByteBuffer buffer : all) {
            free.put(buffer);
        }
        checkFailure();
    }

    /** Stops the writing thread; what was handed over and not drained may be lost. */
    @Override
    public void close() {
        if (writer.isAlive()) {
            writer.interrupt();
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void handOver() throws IOException {
        if (staging != null) {
            if (staging.position() > 0) {
                toWrite.put(new Extent(staging.flip(), stagedAt));
            } else {
                free.put(staging);
            }
            staging = null;
        }
    }

    private void run() {
        try {
            while (true) {
                Extent extent = toWrite.take();
                ByteBuffer data = extent.data();
                long at = extent.at();
                while (data.hasRemaining()) {
                    at += direct.write(data, at);
                }
                free.put(data.clear().limit(STAGING));
            }
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private void checkFailure() throws IOException {
        Throwable t = failure.get();
        if (t instanceof IOException e) {
            throw e;
        }
        if (t != null) {
            throw new IOException("cannot write the image: " + t, t);
        }
    }
}
