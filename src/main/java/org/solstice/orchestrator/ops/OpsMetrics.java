package org.solstice.orchestrator.ops;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.images.ImagePreparationListener;
import org.solstice.orchestrator.images.PreparationOutcome;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.job.JobOutcome;

/**
 * The daemon's Prometheus metrics, in a registry of its own. Label values come only from the image map (job
 * labels that resolved, image names) and fixed outcome names, so their number is bounded by the map.
 */
public class OpsMetrics implements JobListener, ImagePreparationListener {
    static final String PREFIX = "solstice_orchestrator_";
    private static final double[] WAIT_BUCKETS = {0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};
    private static final double[] RUN_BUCKETS = {1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final DaemonState state;
    private final ImageProgress progress = new ImageProgress();
    private final Set<String> knownLabels;
    private final Histogram submittedToStarted;
    private final Histogram submittedToResult;
    private final Histogram jobDuration;
    private final Counter results;
    private final Counter imageBytes;
    private final Histogram imageDuration;

    /**
     * @param knownLabels every label of the image map; anything else is counted as {@code other}
     * @param instanceId  this daemon's identity: every series carries it as {@code instance_id}, so the hosts of a
     *                    fleet stay apart however they are scraped
     */
    public OpsMetrics(DaemonState state, Set<String> knownLabels, String instanceId) {
        this.state = state;
        Labels instance = Labels.of("instance_id", instanceId);
        this.knownLabels = Set.copyOf(knownLabels);
        submittedToStarted = Histogram.builder().name(PREFIX + "job_start_delay_seconds").constLabels(instance)
                .help("Time from the request's submitted_at to its VM started").labelNames("label")
                .classicOnly().classicUpperBounds(WAIT_BUCKETS).register(registry);
        submittedToResult = Histogram.builder().name(PREFIX + "job_result_delay_seconds").constLabels(instance)
                .help("Time from the request's submitted_at to its result").labelNames("label", "outcome")
                .classicOnly().classicUpperBounds(RUN_BUCKETS).register(registry);
        jobDuration = Histogram.builder().name(PREFIX + "job_duration_seconds").constLabels(instance)
                .help("Time from VM started to VM powered off").labelNames("label")
                .classicOnly().classicUpperBounds(RUN_BUCKETS).register(registry);
        results = Counter.builder().name(PREFIX + "job_results_total").constLabels(instance)
                .help("Jobs ended, by label and outcome").labelNames("label", "outcome").register(registry);
        imageBytes = Counter.builder().name(PREFIX + "image_prepared_bytes_total").constLabels(instance)
                .help("Bytes downloaded while preparing images").labelNames("image").register(registry);
        imageDuration = Histogram.builder().name(PREFIX + "image_preparation_seconds").constLabels(instance)
                .help("Time spent preparing an image (download, decompression, verification)")
                .labelNames("image", "outcome").classicOnly().classicUpperBounds(RUN_BUCKETS).register(registry);
        GaugeWithCallback.builder().name(PREFIX + "jobs_running").constLabels(instance)
                .help("Jobs provisioning or running on this host").callback(cb -> cb.call(state.global().inUse()))
                .register(registry);
        GaugeWithCallback.builder().name(PREFIX + "max_concurrency").constLabels(instance)
                .help("Global limit on jobs provisioning or running").callback(cb -> cb.call(state.global().limit()))
                .register(registry);
        GaugeWithCallback.builder().name(PREFIX + "jobs_waiting").constLabels(instance)
                .help("Accepted jobs not started yet (waiting for their image or a slot)")
                .callback(cb -> cb.call(state.global().waiting())).register(registry);
        GaugeWithCallback.builder().name(PREFIX + "image_jobs_running").constLabels(instance)
                .help("Jobs provisioning or running, per image").labelNames("image")
                .callback(cb -> state.labels().forEach(l -> cb.call(l.inUse(), l.image()))).register(registry);
        GaugeWithCallback.builder().name(PREFIX + "image_capacity").constLabels(instance)
                .help("Capacity per image (its capacity-map entry, else the global limit)").labelNames("image")
                .callback(cb -> state.labels().forEach(l -> cb.call(l.limit(), l.image()))).register(registry);
        GaugeWithCallback.builder().name(PREFIX + "image_jobs_waiting").constLabels(instance)
                .help("Jobs whose image is ready, waiting for a slot, per image").labelNames("image")
                .callback(cb -> state.labels().forEach(l -> cb.call(l.waiting(), l.image()))).register(registry);
        CounterWithCallback.builder().name(PREFIX + "leaked_vms_reaped_total").constLabels(instance)
                .help("VMs of this instance destroyed because no live job owned them")
                .callback(cb -> cb.call(state.leakedVmsReaped())).register(registry);
        CounterWithCallback.builder().name(PREFIX + "broker_reconnects_total").constLabels(instance)
                .help("Times the broker connection was recovered after a loss")
                .callback(cb -> cb.call(state.brokerReconnects())).register(registry);
        CounterWithCallback.builder().name(PREFIX + "jobs_routed_total").constLabels(instance)
                .help("Requests this daemon's router moved from the job queue to their label's queue")
                .callback(cb -> cb.call(state.jobsRouted())).register(registry);
        CounterWithCallback.builder().name(PREFIX + "jobs_taken_directly_total").constLabels(instance)
                .help("Requests this daemon's router took for this host without the hop through their label's queue,"
                        + " the label being idle here").callback(cb -> cb.call(state.jobsTakenDirectly()))
                .register(registry);
        CounterWithCallback.builder().name(PREFIX + "jobs_unroutable_total").constLabels(instance)
                .help("Requests for a label no daemon serves, dead-lettered by this daemon's router with a failed"
                        + " result").callback(cb -> cb.call(state.jobsUnroutable())).register(registry);
        JvmMetrics.builder().register(registry);
    }

    public DaemonState state() {
        return state;
    }

    /**
     * Where image preparation stands, for the web console. The daemon hands image preparation this one listener
     * (it exists before the broker is connected), so it passes each step on.
     */
    public ImageProgress imageProgress() {
        return progress;
    }

    @Override
    public void started(ImageDefinition image, int attempt) {
        progress.started(image, attempt);
    }

    @Override
    public void progress(ImageDefinition image, long position, long total) {
        progress.progress(image, position, total);
    }

    @Override
    public void retrying(ImageDefinition image, int nextAttempt, Duration wait,
                         org.solstice.orchestrator.images.ImageFetchException cause) {
        progress.retrying(image, nextAttempt, wait, cause);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    private String label(AcceptedJob job) {
        return known(job.label());
    }

    private String known(String label) {
        return label != null && knownLabels.contains(label) ? label : "other";
    }

    static String outcomeName(JobOutcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    private static double secondsSince(Instant submittedAt) {
        return Math.max(0, Duration.between(submittedAt, Instant.now()).toMillis() / 1000.0);
    }

    @Override
    public void vmStarted(AcceptedJob job, Duration sinceAccepted) {
        submittedToStarted.labelValues(label(job)).observe(secondsSince(job.request().submittedAt()));
    }

    @Override
    public void vmFinished(AcceptedJob job, Duration runTime) {
        jobDuration.labelValues(label(job)).observe(runTime.toMillis() / 1000.0);
    }

    @Override
    public void outcome(AcceptedJob job, JobOutcome outcome) {
        results.labelValues(label(job), outcomeName(outcome)).inc();
        submittedToResult.labelValues(label(job), outcomeName(outcome))
                .observe(secondsSince(job.request().submittedAt()));
    }

    /** Bytes fetched and time taken, by outcome: {@code prepared}, {@code already_ready}, {@code failed}. */
    @Override
    public void finished(ImageDefinition image, PreparationOutcome outcome) {
        progress.finished(image, outcome);
        String name = known(image.name());
        imageBytes.labelValues(name).inc(Math.max(0, outcome.bytesDownloaded()));
        imageDuration.labelValues(name, outcome.result().name().toLowerCase(Locale.ROOT))
                .observe(outcome.duration().toMillis() / 1000.0);
    }
}
