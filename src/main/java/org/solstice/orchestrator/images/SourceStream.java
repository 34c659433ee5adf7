package org.solstice.orchestrator.images;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * The body of a source as it arrives: appended to the partial download (when there is one), counted, reported,
 * and checked against the announced length. Failures of the source become {@link SourceReadException} (worth
 * another attempt); failures to write the partial download become {@link SpoolWriteException}. Anything else
 * raised further down the pipeline is about the content (a corrupt archive).
 */
final class SourceStream extends InputStream {
    private final InputStream body;
    private final FileChannel spool;
    private final long total;
    private final Duration stallTimeout;
    private final LongConsumer progress;
    private long position;

    /**
     * @param spool    the partial download, positioned at {@code position}, or null to keep nothing
     * @param position where in the source the body starts
     * @param total    the source's full length, or -1 when unknown
     * @param progress told the position after every read
     */
    SourceStream(InputStream body, FileChannel spool, long position, long total, Duration stallTimeout,
                 LongConsumer progress) {
        this.body = body;
        this.spool = spool;
        this.position = position;
        this.total = total;
        this.stallTimeout = stallTimeout;
        this.progress = progress;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new SourceReadException("interrupted at byte " + position + of() + " (shutting down)", null);
        }
        int n;
        try {
            n = body.read(buffer, offset, length);
        } catch (SocketTimeoutException e) {
            throw new SourceReadException("stalled: no bytes for " + stallTimeout.toMillis() + " ms at byte "
                    + position + of(), e);
        } catch (IOException e) {
            throw new SourceReadException("connection failed at byte " + position + of() + ": " + e, e);
        }
        if (n < 0) {
            if (total >= 0 && position < total) {
                throw new SourceReadException("connection closed at byte " + position + of(), null);
            }
            return -1;
        }
        if (spool != null && n > 0) {
            try {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, offset, n);
                while (chunk.hasRemaining()) {
                    spool.write(chunk);
                }
            } catch (java.nio.channels.ClosedByInterruptException e) {
                throw new SourceReadException("interrupted at byte " + position + of() + " (shutting down)", e);
            } catch (IOException e) {
                throw new SpoolWriteException("cannot write the partial download: " + e, e);
            }
        }
        position += n;
        progress.accept(position);
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }

    long position() {
        return position;
    }

    private String of() {
        return total >= 0 ? " of " + total : "";
    }

    /** The source failed (closed early, stalled, reset): another attempt may succeed. */
    static final class SourceReadException extends IOException {
        SourceReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The partial download could not be written (e.g. the disk is full). */
    static final class SpoolWriteException extends IOException {
        SpoolWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
