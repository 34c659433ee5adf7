package org.solstice.orchestrator.bench.fleet;

/** One job's path through the model, with the times the report needs (virtual minutes). */
final class SimJob {
    final int id;
    final int label;
    final double arrival;
    final double duration;

    double firstStart = Double.NaN;
    double lastStart = Double.NaN;
    double completedAt = Double.NaN;
    /** First moment it sat unstarted on a host while another host serving its label had a free slot for it. */
    double strandedSince = Double.NaN;
    int host = -1;
    int deliveries;
    int starts;
    int completions;
    boolean deadLettered;
    /** Holds one of its host's max-pending places for the label (accepted and acked, not started). */
    boolean holdsPendingPlace;
    /** Start order on its host among accepted jobs. */
    long sequence;
    /** Bumped when its host dies, so the completion of the killed run is ignored. */
    int runEpoch;

    SimJob(int id, Workload.Arrival arrival) {
        this.id = id;
        this.label = arrival.label();
        this.arrival = arrival.minute();
        this.duration = arrival.durationMinutes();
    }

    double waitMinutes() {
        return firstStart - arrival;
    }

    boolean stranded() {
        return !Double.isNaN(strandedSince);
    }

    double strandedExtraMinutes() {
        return stranded() ? firstStart - strandedSince : 0;
    }
}
