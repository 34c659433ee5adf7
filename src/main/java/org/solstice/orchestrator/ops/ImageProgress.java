package org.solstice.orchestrator.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.images.ImageFetchException;
import org.solstice.orchestrator.images.ImagePreparationListener;
import org.solstice.orchestrator.images.PreparationOutcome;

/** What image preparation is doing now, per image, for the web console (the last word per image is kept). */
public final class ImageProgress implements ImagePreparationListener {

    /**
     * @param phase    preparing, retrying, prepared, failed (the outcome's name once finished)
     * @param position bytes of the source on disk so far
     * @param total    the source's length, or -1 when unknown
     * @param detail   the error of a failed or retried attempt, else null
     */
    public record Step(String phase, int attempt, long position, long total, Instant since, String detail) {
    }

    private final Map<String, Step> steps = new ConcurrentHashMap<>();

    @Override
    public void started(ImageDefinition image, int attempt) {
        steps.put(image.name(), new Step("preparing", attempt, 0, -1, Instant.now(), null));
    }

    @Override
    public void progress(ImageDefinition image, long position, long total) {
        steps.compute(image.name(), (name, s) -> s == null
                ? new Step("preparing", 1, position, total, Instant.now(), null)
                : new Step("preparing", s.attempt(), position, total, s.since(), null));
    }

    @Override
    public void retrying(ImageDefinition image, int nextAttempt, Duration wait, ImageFetchException cause) {
        steps.compute(image.name(), (name, s) -> new Step("retrying", nextAttempt, s == null ? 0 : s.position(),
                s == null ? -1 : s.total(), Instant.now(), cause == null ? null : cause.getMessage()));
    }

    @Override
    public void finished(ImageDefinition image, PreparationOutcome outcome) {
        steps.compute(image.name(), (name, s) -> new Step(
                outcome.result().name().toLowerCase(java.util.Locale.ROOT), s == null ? 1 : s.attempt(),
                s == null ? 0 : s.position(), s == null ? -1 : s.total(), Instant.now(), outcome.error()));
    }

    public Optional<Step> of(String image) {
        return Optional.ofNullable(steps.get(image));
    }
}
