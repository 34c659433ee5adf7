package org.solstice.orchestrator.daemon;

import java.util.UUID;
import org.solstice.orchestrator.job.RunningJobs;
import org.solstice.orchestrator.ops.AdminActions;

/** The web console's actions on this daemon: cancel a running job, drain this host, prepare an image again. */
final class HostActions implements AdminActions {
    private final RunningJobs runningJobs;
    private final Drain drain;
    private final ImagePolicy images;

    HostActions(RunningJobs runningJobs, Drain drain, ImagePolicy images) {
        this.runningJobs = runningJobs;
        this.drain = drain;
        this.images = images;
    }

    @Override
    public String cancel(UUID requestId) {
        if (!runningJobs.cancel(requestId)) {
            throw new IllegalArgumentException("job " + requestId + " is not running on this host");
        }
        return "asked job " + requestId + " to stop: its VM is shut down and its result says cancelled";
    }

    @Override
    public String drain() {
        if (!drain.startInBackground()) {
            return "already " + drain.state().name().toLowerCase(java.util.Locale.ROOT) + ": nothing more to do"
                    + " (restart the service to take jobs again)";
        }
        return "draining: no new jobs are taken here; jobs not started go back to the broker; running jobs finish"
                + " (cancelled after " + drain.timeout().toSeconds() + " s); the daemon then stays up, drained,"
                + " until it is restarted";
    }

    @Override
    public String prepareAgain(String image) {
        return images.prepareAgain(image);
    }
}
