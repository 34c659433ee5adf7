package org.solstice.orchestrator.job;

import java.time.Duration;

/** The words a developer reads in a commit status: one sentence saying what happened, then the output's tail. */
final class JobSummaries {
    static final int TAIL_LINES = 20;
    static final int TAIL_CHARS = 2000;

    private JobSummaries() {
    }

    static String exited(int status, String tail) {
        String head = status == 0 ? "job succeeded (exit status 0)" : "job exited with status " + status;
        return withTail(head, tail);
    }

    static String noMarker(String tail) {
        return withTail("job ended without reporting an exit status: the guest powered off before the job"
                + " finished (or the image does not run the NoCloud user-data)", tail);
    }

    static String timedOut(Duration timeout, String tail) {
        return withTail("job timed out after " + human(timeout) + "; its VM was destroyed", tail);
    }

    static String provisioningFailed(String why) {
        return "could not start a VM for the job: " + why;
    }

    static String cancelled(String tail) {
        return withTail("job cancelled: the orchestrator shut down before the job finished", tail);
    }

    static String failed(String why, String tail) {
        return withTail("job failed: " + why, tail);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        return (s / 3600) + " h" + (s % 3600 == 0 ? "" : " " + (s % 3600) / 60 + " min");
    }

    private static String withTail(String head, String tail) {
        return tail == null || tail.isBlank() ? head : head + "\n--- last lines of output ---\n" + tail;
    }
}
