package org.solstice.orchestrator.images;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.config.ImageDefinition;

/** Periodic progress lines in the log: "image X: 1.2 GiB of 2.0 GiB (60%), 45.3 MiB/s, ETA 18s". */
public final class LoggingPreparationListener implements ImagePreparationListener {
    private static final Logger log = LoggerFactory.getLogger(LoggingPreparationListener.class);

    private final Map<String, TransferRate> rates = new ConcurrentHashMap<>();

    @Override
    public void progress(ImageDefinition image, long position, long total) {
        TransferRate rate = rates.computeIfAbsent(image.name(), n -> new TransferRate(position));
        log.info("image {}: {}", image.name(), rate.describe(position, total));
    }

    @Override
    public void started(ImageDefinition image, int attempt) {
        rates.remove(image.name());
    }

    @Override
    public void finished(ImageDefinition image, PreparationOutcome outcome) {
        rates.remove(image.name());
    }
}
