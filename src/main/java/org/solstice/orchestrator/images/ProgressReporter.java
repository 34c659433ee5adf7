package org.solstice.orchestrator.images;

import java.time.Duration;
import java.util.function.LongConsumer;
import org.solstice.orchestrator.config.ImageDefinition;

/** Passes the download position to the listener at most once per interval, and always the last one on demand. */
final class ProgressReporter implements LongConsumer {
    private final ImageDefinition image;
    private final ImagePreparationListener listener;
    private final long intervalNanos;
    private long total = -1;
    private long lastReport;
    private long position;

    ProgressReporter(ImageDefinition image, ImagePreparationListener listener, Duration interval) {
        this.image = image;
        this.listener = listener;
        this.intervalNanos = interval.toNanos();
        this.lastReport = System.nanoTime();
    }

    /** The source is open: reports where the body starts, so rates count only this attempt's bytes. */
    void start(long offset, long total) {
        this.total = total;
        this.position = offset;
        this.lastReport = System.nanoTime();
        listener.progress(image, offset, total);
    }

    @Override
    public void accept(long newPosition) {
        position = newPosition;
        long now = System.nanoTime();
        if (now - lastReport >= intervalNanos) {
            lastReport = now;
            listener.progress(image, position, total);
        }
    }

    void flush() {
        listener.progress(image, position, total);
    }
}
