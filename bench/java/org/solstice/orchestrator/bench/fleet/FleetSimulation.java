package org.solstice.orchestrator.bench.fleet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Discrete-event simulation of issue 8's scale-out scheme in virtual minutes: every arrival passes a router
 * (decode, republish by label, dead-letter when unroutable), label queues deliver round-robin to the hosts'
 * consumers with prefetch room, hosts accept up to max-pending per label and start jobs under their limits.
 * Routing, delivery and acceptance take no time; only jobs do. Deterministic: no randomness of its own.
 */
final class FleetSimulation {
    /** The host dies at the minute given and comes back, with its job store, after the downtime. */
    record Failure(int host, double atMinute, double downMinutes) {
    }

    private enum Kind { ARRIVAL, COMPLETE, DOWN, UP }

    private record Event(double time, long order, Kind kind, SimJob job, int host, int epoch) {
    }

    private final FleetModel model;
    private final SimHost[] hosts;
    private final Broker broker;
    private final PriorityQueue<Event> events = new PriorityQueue<>(
            Comparator.comparingDouble(Event::time).thenComparingLong(Event::order));
    private final List<SimJob> jobs = new ArrayList<>();
    private final double windowFrom;
    private final double windowTo;
    private boolean checkInvariants;
    private long order;
    private double now;

    long routerMessages;
    long routerPublishes;
    long deadLetters;
    long failedResults;
    double busySlotMinutes;
    double lostRunMinutes;
    final List<SimJob> heldAtDeath = new ArrayList<>();
    final List<SimJob> runningAtDeath = new ArrayList<>();
    final List<SimJob> returnedAtDeath = new ArrayList<>();

    /**
     * @param windowFrom start of the measuring window (minutes), for the slot utilisation
     * @param windowTo end of the measuring window
     */
    FleetSimulation(FleetModel model, Settings settings, List<Workload.Arrival> arrivals, Failure failure,
            double windowFrom, double windowTo) {
        this.model = model;
        this.windowFrom = windowFrom;
        this.windowTo = windowTo;
        hosts = new SimHost[model.hosts()];
        for (int h = 0; h < hosts.length; h++) {
            hosts[h] = new SimHost(model, h, settings);
        }
        broker = new Broker(model, hosts);
        for (Workload.Arrival arrival : arrivals) {
            SimJob job = new SimJob(jobs.size(), arrival);
            jobs.add(job);
            schedule(arrival.minute(), Kind.ARRIVAL, job, -1, 0);
        }
        if (failure != null) {
            schedule(failure.atMinute(), Kind.DOWN, null, failure.host(), 0);
            schedule(failure.atMinute() + failure.downMinutes(), Kind.UP, null, failure.host(), 0);
        }
    }

    /** Checks every host's limits after every event (for the model's own test). */
    FleetSimulation checkingInvariants() {
        checkInvariants = true;
        return this;
    }

    FleetSimulation run() {
        while (!events.isEmpty()) {
            Event event = events.poll();
            accountBusySlots(event.time());
            now = event.time();
            switch (event.kind()) {
                case ARRIVAL -> route(event.job());
                case COMPLETE -> complete(event);
                case DOWN -> die(hosts[event.host()]);
                case UP -> {
                    hosts[event.host()].restart(this::start);
                    afterSlotsFreed(hosts[event.host()]);
                }
            }
            if (checkInvariants) {
                Arrays.stream(hosts).forEach(SimHost::checkInvariants);
            }
        }
        return this;
    }

    List<SimJob> jobs() {
        return jobs;
    }

    long deliveries() {
        return broker.deliveries;
    }

    long hostAcks() {
        return Arrays.stream(hosts).mapToLong(h -> h.acks).sum();
    }

    private void route(SimJob job) {
        routerMessages++;
        routerPublishes++;
        if (!broker.routable(job.label)) {
            job.deadLettered = true;
            deadLetters++;
            failedResults++;
            return;
        }
        broker.publish(job);
        broker.dispatch(job.label, this::deliver);
    }

    private void deliver(SimHost host, SimJob job) {
        host.deliver(job, this::start);
        if (job.starts > 0 || job.stranded()) {
            return;
        }
        for (int h : model.hostsOfLabel[job.label]) {
            if (h != host.id && hosts[h].canStart(job.label)) {
                job.strandedSince = now;
                return;
            }
        }
    }

    private void start(SimJob job) {
        job.starts++;
        if (Double.isNaN(job.firstStart)) {
            job.firstStart = now;
        }
        job.lastStart = now;
        schedule(now + job.duration, Kind.COMPLETE, job, job.host, job.runEpoch);
    }

    private void complete(Event event) {
        SimJob job = event.job();
        if (event.epoch() != job.runEpoch) {
            return;
        }
        job.completedAt = now;
        job.completions++;
        SimHost host = hosts[event.host()];
        host.completed(job, this::start);
        afterSlotsFreed(host);
    }

    /** Offers the host's labels their queued messages, oldest first, then notes jobs stranded elsewhere. */
    private void afterSlotsFreed(SimHost host) {
        Integer[] labels = Arrays.stream(host.labels).boxed().toArray(Integer[]::new);
        Arrays.sort(labels, Comparator.comparingDouble(broker::headArrival));
        for (int label : labels) {
            broker.dispatch(label, this::deliver);
        }
        for (int label : host.labels) {
            if (!host.canStart(label)) {
                continue;
            }
            for (int other : model.hostsOfLabel[label]) {
                if (other == host.id) {
                    continue;
                }
                for (SimJob waiting : hosts[other].unstarted(label)) {
                    if (waiting.starts == 0 && !waiting.stranded()) {
                        waiting.strandedSince = now;
                    }
                }
            }
        }
    }

    private void die(SimHost host) {
        List<ArrayDeque<SimJob>> returned = host.die();
        lostRunMinutes = 0;
        for (int i = 0; i < host.labels.length; i++) {
            for (SimJob job : host.unstarted(host.labels[i])) {
                if (job.starts > 0) {
                    runningAtDeath.add(job);
                    lostRunMinutes += now - job.lastStart;
                } else {
                    heldAtDeath.add(job);
                }
            }
            returnedAtDeath.addAll(returned.get(i));
            broker.requeue(host.labels[i], returned.get(i));
            broker.dispatch(host.labels[i], this::deliver);
        }
    }

    private void accountBusySlots(double until) {
        double from = Math.max(now, windowFrom);
        double to = Math.min(until, windowTo);
        if (to > from) {
            int running = 0;
            for (SimHost host : hosts) {
                running += host.running();
            }
            busySlotMinutes += running * (to - from);
        }
    }

    private void schedule(double time, Kind kind, SimJob job, int host, int epoch) {
        events.add(new Event(time, order++, kind, job, host, epoch));
    }

    int queued(int label) {
        return broker.queued(label);
    }
}
