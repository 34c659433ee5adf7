package org.solstice.orchestrator.cli;

import java.io.PrintWriter;
import java.time.Duration;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.images.ImageFetchException;
import org.solstice.orchestrator.images.ImagePreparationListener;
import org.solstice.orchestrator.images.PreparationOutcome;
import org.solstice.orchestrator.images.TransferRate;

/** Download progress for {@code images pull}: a redrawn bar on a terminal, one line per report otherwise. */
final class ProgressPrinter implements ImagePreparationListener {
    private static final int BAR = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private TransferRate rate;
    private boolean barShown;

    ProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void started(ImageDefinition image, int attempt) {
        rate = null;
        out.println("image " + image.name() + ": fetching " + image.source()
                + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
        out.flush();
    }

    @Override
    public synchronized void progress(ImageDefinition image, long position, long total) {
        if (rate == null) {
            rate = new TransferRate(position);
        }
        if (!terminal) {
            out.println("image " + image.name() + ": " + rate.describe(position, total));
        } else {
            int filled = total > 0 ? (int) Math.min(BAR, position * BAR / total) : 0;
            out.print("\r" + image.name() + " [" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] "
                    + rate.describe(position, total) + "   ");
            barShown = true;
        }
        out.flush();
    }

    @Override
    public synchronized void retrying(ImageDefinition image, int nextAttempt, Duration wait,
                                      ImageFetchException cause) {
        endBar();
        out.println("image " + image.name() + ": " + cause.detail() + "; retrying in "
                + TransferRate.duration(wait));
        out.flush();
    }

    @Override
    public synchronized void finished(ImageDefinition image, PreparationOutcome outcome) {
        endBar();
        out.flush();
    }

    private void endBar() {
        if (barShown) {
            out.println();
            barShown = false;
        }
    }
}
