package org.solstice.orchestrator.images;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Writes a new file, leaving holes for 4 KiB blocks that are all zeros, as {@code zstd -d} does: disk images are
 * mostly zeros, and skipping them saves both time and disk space. The file must start empty.
 *
 * <p>Every {@value #FLUSH_EVERY} bytes written, a background thread starts flushing what is written so far
 * ({@code fdatasync}), so the disk works while decoding continues and the final fsync has little left to do.
 */
final class SparseFileWriter implements Closeable {
    private static final int BLOCK = 4096;
    private static final byte[] ZEROS = new byte[BLOCK];

    private static final long FLUSH_EVERY = 64L << 20;

    private final FileChannel channel;
    private long position;
    private long unflushed;
    private Thread flusher;
    private volatile IOException flushFailure;

    SparseFileWriter(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    void write(byte[] buffer, int offset, int length) throws IOException {
        int end = offset + length;
        int runStart = -1;
        for (int block = offset; block < end; block += BLOCK) {
            int blockEnd = Math.min(end, block + BLOCK);
            boolean zero = Arrays.mismatch(buffer, block, blockEnd, ZEROS, 0, blockEnd - block) < 0;
            if (!zero && runStart < 0) {
                runStart = block;
            } else if (zero && runStart >= 0) {
                writeAt(buffer, offset, runStart, block);
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            writeAt(buffer, offset, runStart, end);
        }
        position += length;
        if (unflushed >= FLUSH_EVERY && (flusher == null || !flusher.isAlive())) {
            unflushed = 0;
            flusher = new Thread(this::flush, Thread.currentThread().getName() + "-flush");
            flusher.setDaemon(true);
            flusher.start();
        }
    }

    private void flush() {
        try {
            channel.force(false);
        } catch (IOException e) {
            flushFailure = e;
        }
    }

    /** Sets the final length (a trailing hole has no bytes written), then fsyncs data and metadata. */
    void finish() throws IOException {
        awaitFlusher();
        if (flushFailure != null) {
            throw flushFailure;
        }
        if (channel.size() < position) {
            channel.write(ByteBuffer.wrap(new byte[1]), position - 1);
        }
        channel.force(true);
    }

    long size() {
        return position;
    }

    @Override
    public void close() throws IOException {
        try {
            awaitFlusher();
        } catch (java.io.InterruptedIOException e) {
            // closing anyway: the flusher fails harmlessly on the closed channel
        }
        channel.close();
    }

    private void awaitFlusher() throws java.io.InterruptedIOException {
        if (flusher != null) {
            try {
                flusher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while flushing the image");
            }
        }
    }

    /** Writes buffer[from, to) where buffer[offset] belongs at the current position. */
    private void writeAt(byte[] buffer, int offset, int from, int to) throws IOException {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, from, to - from);
        long at = position + (from - offset);
        unflushed += to - from;
        while (chunk.hasRemaining()) {
            at += channel.write(chunk, at);
        }
    }
}
