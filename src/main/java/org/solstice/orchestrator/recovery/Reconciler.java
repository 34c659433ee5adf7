package org.solstice.orchestrator.recovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.RouterHypervisor;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobOutcome;
import org.solstice.orchestrator.job.JobPolicy;
import org.solstice.orchestrator.job.VmOwnership;
import org.solstice.orchestrator.messaging.InvalidJobRequestException;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.store.VmRecord;

/**
 * Makes the store, the hypervisor and the state directory agree, at start-up and periodically:
 * <ul>
 *   <li>unfinished jobs of this instance are resumed (never started), adopted (their VM still runs) or run again
 *       up to the attempt limit (their VM is gone), else failed with a result saying the orchestrator restarted;</li>
 *   <li>VMs tagged with this instance whose job is finished or unknown are destroyed and cleaned up (leaks);</li>
 *   <li>job directories that belong to no live job are removed.</li>
 * </ul>
 */
public class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final Duration ORPHAN_MIN_AGE = Duration.ofMinutes(2);

    private final JobStore store;
    private final RouterHypervisor hypervisor;
    private final ImageMap images;
    private final JobPolicy policy;
    private final int maxAttempts;
    private final VmOwnership owners;
    private final AtomicLong reaped = new AtomicLong();

    /**
     * @param owners who owns a VM in this process right now: the reaper never touches a VM a live job here owns
     *               (its teardown may be under way after its result went out)
     */
    public Reconciler(JobStore store, RouterHypervisor hypervisor, ImageMap images, JobPolicy policy, int maxAttempts,
                      VmOwnership owners) {
        this.owners = owners;
        this.store = store;
        this.hypervisor = hypervisor;
        this.images = images;
        this.policy = policy;
        this.maxAttempts = maxAttempts;
    }

    /** VMs reaped as leaks since start. */
    public long reaped() {
        return reaped.get();
    }

    /** At start-up, before consuming: hands every unfinished job to {@code recoverer}, then reaps and cleans. */
    public void recover(Recoverer recoverer) {
        Map<String, String> liveVms = liveVms();
        Map<String, VmRecord> recorded = new HashMap<>();
        store.vms(policy.instanceId()).forEach(vm -> recorded.put(vm.name(), vm));
        List<JobRecord> unfinished = store.unfinished(policy.instanceId());
        if (!unfinished.isEmpty()) {
            log.info("recovering {} unfinished job(s) from {}", unfinished.size(), store.describe());
        }
        for (JobRecord record : unfinished) {
            Optional<AcceptedJob> job = toJob(record);
            if (job.isEmpty()) {
                continue;
            }
            String vmName = VmSpec.vmNameFor(record.requestId());
            if (record.state() == JobState.ACCEPTED) {
                log.info("job {}: accepted before the restart and not started: running it", record.requestId());
                recoverer.resume(job.get());
            } else if (record.state() == JobState.RUNNING && liveVms.containsKey(vmName)) {
                VmHandle vm = handle(record.requestId(), vmName, liveVms.get(vmName), recorded.get(vmName));
                recoverer.adopt(job.get(), vm, record.startedAt() == null ? Instant.now() : record.startedAt());
            } else {
                if (liveVms.containsKey(vmName)) {
                    teardown(handle(record.requestId(), vmName, liveVms.get(vmName), recorded.get(vmName)));
                }
                store.vmGone(vmName);
                if (record.attempts() < maxAttempts) {
                    log.warn("job {}: its VM did not survive the restart; running it again (attempt {} of {})",
                            record.requestId(), record.attempts() + 1, maxAttempts);
                    store.retry(record.requestId());
                    recoverer.resume(job.get());
                } else {
                    log.error("job {}: its VM did not survive the restart and it has had {} attempts: failing it",
                            record.requestId(), record.attempts());
                    recoverer.fail(job.get(), JobOutcome.FAILURE, "job failed: the orchestrator restarted while the"
                            + " job was running, " + record.attempts() + " time(s); it is not run again");
                }
            }
        }
        reapLeaks();
        removeOrphanFiles();
    }

    /**
     * Destroys VMs of this instance that no job here owns and whose job is finished or unknown; returns how many.
     * A candidate is confirmed still present after its owner was checked: a run that ended in between has torn its
     * own VM down, and a finished job is never run again, so what is still there then is left behind for good.
     */
    public int reapLeaks() {
        Map<String, VmRecord> recorded = new HashMap<>();
        store.vms(policy.instanceId()).forEach(vm -> recorded.put(vm.name(), vm));
        Map<String, String> candidates = new HashMap<>();
        Map<String, String> why = new HashMap<>();
        for (Map.Entry<String, String> vm : liveVms().entrySet()) {
            UUID id = idOf(vm.getKey());
            if (id != null && owners.ownsVmOf(id)) {
                continue;
            }
            Optional<JobRecord> job = id == null ? Optional.empty() : store.find(id);
            if (job.isPresent() && job.get().state() != JobState.FINISHED) {
                continue;
            }
            candidates.put(vm.getKey(), vm.getValue());
            why.put(vm.getKey(), job.map(j -> "finished").orElse("unknown to the store"));
        }
        int count = 0;
        if (!candidates.isEmpty()) {
            Map<String, String> stillThere = liveVms();
            for (Map.Entry<String, String> vm : candidates.entrySet()) {
                if (!vm.getValue().equals(stillThere.get(vm.getKey()))) {
                    continue;
                }
                UUID id = idOf(vm.getKey());
                log.warn("leaked VM {} ({}): its job is {} and nothing here owns it; destroying it", vm.getKey(),
                        vm.getValue(), why.get(vm.getKey()));
                teardown(handle(id, vm.getKey(), vm.getValue(), recorded.get(vm.getKey())));
                store.vmGone(vm.getKey());
                reaped.incrementAndGet();
                count++;
            }
        }
        for (VmRecord vm : recorded.values()) {
            if (owners.ownsVmOf(vm.requestId())) {
                continue;
            }
            Optional<JobRecord> job = store.find(vm.requestId());
            if (job.isEmpty() || job.get().state() == JobState.FINISHED) {
                store.vmGone(vm.name());
            }
        }
        return count;
    }

    /** Removes job directories (older than two minutes) whose job is not live. */
    public void removeOrphanFiles() {
        Path jobs = policy.stateDir().resolve("jobs");
        if (!Files.isDirectory(jobs)) {
            return;
        }
        Set<String> live = new HashSet<>();
        store.unfinished(policy.instanceId()).forEach(j -> live.add(j.requestId().toString()));
        try (var dirs = Files.list(jobs)) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (live.contains(name) || isYoung(dir)) {
                    continue;
                }
                log.info("removing {}: it belongs to no live job", dir);
                deleteTree(dir);
            }
        } catch (IOException e) {
            log.warn("cannot clean {}: {}", jobs, e.getMessage());
        }
    }

    private Map<String, String> liveVms() {
        Map<String, String> live = new HashMap<>();
        for (Hypervisor backend : hypervisor.backends()) {
            for (String name : backend.listManagedVms(policy.instanceId())) {
                live.put(name, backend.name());
            }
        }
        return live;
    }

    private VmHandle handle(UUID id, String name, String backend, VmRecord recorded) {
        if (recorded != null) {
            return new VmHandle(recorded.requestId(), name, backend, recorded.jobDir(), recorded.consoleLog());
        }
        UUID jobId = id == null ? new UUID(0, 0) : id;
        Path dir = policy.jobDir(jobId);
        return new VmHandle(jobId, name, backend, dir, dir.resolve("console.log"));
    }

    private void teardown(VmHandle vm) {
        try {
            hypervisor.destroy(vm);
            hypervisor.cleanup(vm);
        } catch (RuntimeException e) {
            log.error("cannot remove VM {}: {}", vm.name(), e.getMessage());
        }
    }

    private Optional<AcceptedJob> toJob(JobRecord record) {
        JobRequest request;
        try {
            request = JobMessageCodec.decodeRequest(record.requestJson().getBytes(StandardCharsets.UTF_8));
        } catch (InvalidJobRequestException e) {
            log.error("job {}: its stored request no longer reads ({}); dropping it", record.requestId(), e.getMessage());
            store.finish(record.requestId(), JobOutcome.FAILURE.name(), "{}");
            store.resultPublished(record.requestId());
            return Optional.empty();
        }
        ImageDefinition image = images.images().get(record.image());
        if (image == null) {
            image = images.resolve(record.label()).orElse(null);
        }
        if (image == null) {
            image = new ImageDefinition(record.image(), java.net.URI.create("file:///nonexistent"),
                    Path.of("/nonexistent"), org.solstice.orchestrator.config.Decompression.NONE, false, 1, 64, 0,
                    null, null, null, null);
        }
        return Optional.of(new AcceptedJob(request, record.label(), image,
                record.requestJson().getBytes(StandardCharsets.UTF_8), System.nanoTime()));
    }

    private static UUID idOf(String vmName) {
        try {
            return vmName.startsWith("job-") ? UUID.fromString(vmName.substring(4)) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isYoung(Path dir) throws IOException {
        return Files.getLastModifiedTime(dir).toInstant().isAfter(Instant.now().minus(ORPHAN_MIN_AGE));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
