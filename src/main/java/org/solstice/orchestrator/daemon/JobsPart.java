package org.solstice.orchestrator.daemon;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.solstice.orchestrator.acceptance.Acceptance;
import org.solstice.orchestrator.acceptance.JobRuns;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.job.JobPolicy;
import org.solstice.orchestrator.job.JobRunner;
import org.solstice.orchestrator.job.RunningJobs;
import org.solstice.orchestrator.messaging.RequestPublisher;
import org.solstice.orchestrator.messaging.ResultPublisher;
import org.solstice.orchestrator.recovery.Reconciler;
import org.solstice.orchestrator.results.Results;
import org.solstice.orchestrator.results.StoreJournal;
import org.solstice.orchestrator.scheduling.JobScheduler;

/**
 * The job side: scheduler, runner, acceptance, result delivery and reconciliation, wired together. Starting it
 * recovers what the store holds from before and relays results the broker never confirmed.
 */
final class JobsPart implements Part {
    private final DaemonConfig config;
    private final ImageMapPart map;
    private final StorePart store;
    private final HypervisorPart hypervisor;
    private final ImagePolicy images;
    private final BrokerPart broker;
    private final OperationsPart operations;
    private final JobPolicy policy;
    private final RunningJobs runningJobs;
    private final JobListener listener;
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "orchestrator-background");
        t.setDaemon(true);
        return t;
    });
    private final JobSide side;

    JobsPart(DaemonConfig config, ImageMapPart map, StorePart store, HypervisorPart hypervisor, ImagePolicy images,
             BrokerPart broker, OperationsPart operations, JobPolicy policy, RunningJobs runningJobs,
             JobListener listener, JobSide side) {
        this.config = config;
        this.map = map;
        this.store = store;
        this.hypervisor = hypervisor;
        this.images = images;
        this.broker = broker;
        this.operations = operations;
        this.policy = policy;
        this.runningJobs = runningJobs;
        this.listener = listener;
        this.side = side;
    }

    @Override
    public void start() throws InterruptedException {
        JobScheduler scheduler = new JobScheduler(config.maxConcurrency(), map::capacityOf);
        ResultPublisher resultPublisher = new ResultPublisher(broker.publisher(), config.amqp(),
                Duration.ofSeconds(10));
        JobListener jobListener = JobListener.all(List.of(listener, operations.jobListener()));
        Results results = new Results(store.store(), resultPublisher, config.instanceId());
        JobRunner runner = new JobRunner(hypervisor.hypervisor(), results.delivery(), policy, runningJobs,
                jobListener, new StoreJournal(store.store()));
        Acceptance acceptance = new Acceptance(map.images(), images.catalog(), config.maxPending(), scheduler,
                JobRuns.by(runner), jobListener, background, store.store(), config.instanceId(),
                new RequestPublisher(broker.publisher(), config.amqp(), Duration.ofSeconds(30)));
        Reconciler reconciler = new Reconciler(store.store(), hypervisor.hypervisor(), map.images(), policy,
                config.maxAttempts(), runningJobs);
        side.started(new JobSide.Wired(scheduler, acceptance, results, reconciler, resultPublisher));
        reconciler.recover(acceptance.recoverer());
        results.relay();
    }

    @Override
    public void stop() {
        side.wired().ifPresent(w -> w.scheduler().close());
        background.shutdownNow();
    }

    ExecutorService background() {
        return background;
    }
}
