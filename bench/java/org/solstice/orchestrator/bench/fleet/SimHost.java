package org.solstice.orchestrator.bench.fleet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One daemon as the broker sees it: a consumer per label with its prefetch, the max-pending gate per label, and
 * the scheduler (global max-concurrency, per-label capacity, oldest accepted job first among labels with room),
 * as org.solstice.orchestrator.scheduling does it.
 */
final class SimHost {
    final int id;
    final int maxConcurrency;
    final int[] labels;
    private final int[] indexOfLabel;
    private final int[] capacity;
    private final int[] prefetch;
    private final int maxPending;
    private final boolean ideal;
    private final List<ArrayDeque<SimJob>> unacked = new ArrayList<>();
    private final List<ArrayDeque<SimJob>> accepted = new ArrayList<>();
    private final int[] pendingPlaces;
    private final int[] runningByLabel;
    private final List<SimJob> runningJobs = new ArrayList<>();
    private long sequence;
    boolean alive = true;
    long acks;

    SimHost(FleetModel model, int id, Settings settings) {
        this.id = id;
        this.maxConcurrency = model.maxConcurrency[id];
        this.labels = model.labelsOfHost[id];
        this.indexOfLabel = new int[model.labels()];
        Arrays.fill(indexOfLabel, -1);
        this.capacity = new int[labels.length];
        this.prefetch = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            indexOfLabel[labels[i]] = i;
            capacity[i] = model.capacity[id][labels[i]];
            prefetch[i] = settings.prefetchFor(model, id, labels[i]);
            unacked.add(new ArrayDeque<>());
            accepted.add(new ArrayDeque<>());
        }
        this.maxPending = settings.maxPendingFor(model, id);
        this.ideal = settings.ideal();
        this.pendingPlaces = new int[labels.length];
        this.runningByLabel = new int[labels.length];
    }

    /** How many more deliveries of the label the broker may push to this host now. */
    int room(int label) {
        int i = indexOfLabel[label];
        if (!alive) {
            return 0;
        }
        if (ideal) {
            return canStart(label) && unacked.get(i).isEmpty() && accepted.get(i).isEmpty() ? 1 : 0;
        }
        return prefetch[i] - unacked.get(i).size();
    }

    /** A slot is free for the label here: under max-concurrency and under the label's capacity. */
    boolean canStart(int label) {
        return alive && runningJobs.size() < maxConcurrency && runningByLabel[indexOfLabel[label]] < capacity[indexOfLabel[label]];
    }

    /** Jobs of the label on this host that have not started (unacked deliveries and accepted jobs). */
    Iterable<SimJob> unstarted(int label) {
        int i = indexOfLabel[label];
        List<SimJob> all = new ArrayList<>(unacked.get(i));
        all.addAll(accepted.get(i));
        return all;
    }

    void deliver(SimJob job, Consumer<SimJob> starter) {
        job.host = id;
        job.deliveries++;
        unacked.get(indexOfLabel[job.label]).addLast(job);
        admit(indexOfLabel[job.label]);
        startReady(starter);
    }

    void completed(SimJob job, Consumer<SimJob> starter) {
        runningJobs.remove(job);
        runningByLabel[indexOfLabel[job.label]]--;
        startReady(starter);
    }

    /**
     * The host dies: running jobs are lost (run again after the restart, first in line, as the reconciler does),
     * accepted jobs stay in its store, unacked deliveries go back to the broker.
     *
     * @return the unacked deliveries, per label in delivery order
     */
    List<ArrayDeque<SimJob>> die() {
        alive = false;
        for (int k = runningJobs.size() - 1; k >= 0; k--) {
            SimJob job = runningJobs.get(k);
            job.runEpoch++;
            int i = indexOfLabel[job.label];
            runningByLabel[i]--;
            job.sequence = -1_000_000 + k;
            accepted.get(i).addFirst(job);
        }
        runningJobs.clear();
        List<ArrayDeque<SimJob>> returned = new ArrayList<>();
        for (ArrayDeque<SimJob> queue : unacked) {
            returned.add(new ArrayDeque<>(queue));
            queue.clear();
        }
        return returned;
    }

    void restart(Consumer<SimJob> starter) {
        alive = true;
        startReady(starter);
    }

    private void admit(int i) {
        ArrayDeque<SimJob> waiting = unacked.get(i);
        while (!waiting.isEmpty() && pendingPlaces[i] < maxPending) {
            SimJob job = waiting.pollFirst();
            job.holdsPendingPlace = true;
            job.sequence = sequence++;
            pendingPlaces[i]++;
            acks++;
            accepted.get(i).addLast(job);
        }
    }

    private void startReady(Consumer<SimJob> starter) {
        while (alive && runningJobs.size() < maxConcurrency) {
            int best = -1;
            for (int i = 0; i < labels.length; i++) {
                SimJob head = accepted.get(i).peekFirst();
                if (head != null && runningByLabel[i] < capacity[i]
                        && (best < 0 || head.sequence < accepted.get(best).peekFirst().sequence)) {
                    best = i;
                }
            }
            if (best < 0) {
                return;
            }
            SimJob job = accepted.get(best).pollFirst();
            if (job.holdsPendingPlace) {
                job.holdsPendingPlace = false;
                pendingPlaces[best]--;
            }
            runningByLabel[best]++;
            runningJobs.add(job);
            starter.accept(job);
            admit(best);
        }
    }

    int running() {
        return runningJobs.size();
    }

    /** Throws when a limit of the model is broken: run after every event by the invariant test. */
    void checkInvariants() {
        if (runningJobs.size() > maxConcurrency) {
            throw new IllegalStateException("host " + id + " runs " + runningJobs.size() + " > " + maxConcurrency);
        }
        for (int i = 0; i < labels.length; i++) {
            if (runningByLabel[i] > capacity[i] || runningByLabel[i] < 0) {
                throw new IllegalStateException("host " + id + " label " + labels[i] + " runs " + runningByLabel[i]);
            }
            if (!ideal && unacked.get(i).size() > prefetch[i]) {
                throw new IllegalStateException("host " + id + " label " + labels[i] + " over prefetch");
            }
            if (pendingPlaces[i] > maxPending) {
                throw new IllegalStateException("host " + id + " label " + labels[i] + " over max-pending");
            }
            if (ideal && !(unacked.get(i).isEmpty() && (accepted.get(i).isEmpty() || !alive))) {
                throw new IllegalStateException("host " + id + " holds a job it could not start in ideal mode");
            }
        }
    }
}
