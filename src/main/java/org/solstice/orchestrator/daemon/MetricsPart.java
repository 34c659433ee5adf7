package org.solstice.orchestrator.daemon;

import java.util.Set;
import org.solstice.orchestrator.images.ImagePreparationListener;
import org.solstice.orchestrator.ops.DaemonState;
import org.solstice.orchestrator.ops.OpsMetrics;

/** The metrics, made as soon as the labels are known: image preparation reports to them from the start. */
final class MetricsPart implements Part {
    private final ImageMapPart map;
    private final DaemonState state;
    private final String instanceId;
    private volatile OpsMetrics metrics;

    MetricsPart(ImageMapPart map, DaemonState state, String instanceId) {
        this.map = map;
        this.state = state;
        this.instanceId = instanceId;
    }

    @Override
    public void start() {
        metrics = new OpsMetrics(state, Set.copyOf(map.labels()), instanceId);
    }

    @Override
    public void stop() {
    }

    OpsMetrics metrics() {
        return metrics;
    }

    /** Where image preparation reports: the metrics once started, nowhere before. */
    ImagePreparationListener imageListener() {
        OpsMetrics m = metrics;
        return m != null ? m : new ImagePreparationListener() {
        };
    }
}
