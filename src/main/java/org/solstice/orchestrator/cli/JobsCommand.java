package org.solstice.orchestrator.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JdbcJobStore;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.store.VmRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code orchestrator jobs list|show}: reads the job store (the embedded one works while the daemon runs). */
@Command(name = "jobs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show jobs from the job store.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.ShowJob.class})
public class JobsCommand {

    /** Where the store is: the same options as the daemon's. */
    static class StoreOptions {
        @Option(names = "--state-dir", paramLabel = "DIR",
                defaultValue = "${env:STATE_DIR:-/var/lib/solstice-orchestrator}",
                description = "The daemon's state directory (env STATE_DIR; default: ${DEFAULT-VALUE}).")
        Path stateDir;

        @Option(names = "--database-url", paramLabel = "URL", defaultValue = "${env:DATABASE_URL}",
                description = "The job store, when not the embedded one (env DATABASE_URL).")
        String databaseUrl;

        JobStore open() {
            return JdbcJobStore.open(DatabaseUrl.parse(databaseUrl, stateDir));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The most recent jobs, newest first.")
    static class ListJobs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "How many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (JobStore jobs = store.open()) {
                List<JobRecord> recent = jobs.recent(limit);
                out.printf("%-36s  %-12s  %-20s  %-8s  %-20s  %-9s  %s%n", "REQUEST_ID", "STATE", "LABEL", "ATTEMPTS",
                        "ACCEPTED", "DURATION", "OUTCOME");
                for (JobRecord j : recent) {
                    out.printf("%-36s  %-12s  %-20s  %-8d  %-20s  %-9s  %s%n", j.requestId(), j.state(), j.label(),
                            j.attempts(), JobMessageCodec.formatTime(j.acceptedAt()), duration(j),
                            j.outcome() == null ? "" : j.outcome() + (j.resultPublished() || j.outcome() == null
                                    ? "" : " (result not yet published)"));
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One job: state, VM, timings, result.")
    static class ShowJob implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Parameters(paramLabel = "REQUEST_ID", description = "The job's request_id.")
        UUID id;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (JobStore jobs = store.open()) {
                JobRecord j = jobs.find(id).orElse(null);
                if (j == null) {
                    spec.commandLine().getErr().println("no job " + id + " in " + jobs.describe());
                    return 1;
                }
                out.printf("request_id:  %s%ninstance:    %s%nstate:       %s%nlabel:       %s (image %s)%n"
                                + "attempts:    %d%naccepted:    %s%nstarted:     %s%nfinished:    %s%n",
                        j.requestId(), j.instanceId(), j.state(), j.label(), j.image(), j.attempts(),
                        time(j.acceptedAt()), time(j.startedAt()), time(j.finishedAt()));
                for (VmRecord vm : jobs.vms(j.instanceId())) {
                    if (vm.requestId().equals(j.requestId())) {
                        out.printf("vm:          %s (%s) in %s%n", vm.name(), vm.backend(), vm.jobDir());
                    }
                }
                if (j.resultJson() != null && !j.resultJson().equals("{}")) {
                    JobResult r = JobMessageCodec.decodeResult(j.resultJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.printf("result:      %s, exit code %d%s%n%s%n", r.success() ? "success" : "failure", r.exitCode(),
                            j.resultPublished() ? "" : " (not yet published)", r.summary());
                }
                out.printf("request:     %s%n", j.requestJson());
                out.flush();
            }
            return 0;
        }
    }

    static String time(Instant t) {
        return t == null ? "-" : JobMessageCodec.formatTime(t);
    }

    static String duration(JobRecord j) {
        if (j.startedAt() == null) {
            return "-";
        }
        Instant end = j.finishedAt() == null ? Instant.now() : j.finishedAt();
        Duration d = Duration.between(j.startedAt(), end);
        return d.toSeconds() < 120 ? d.toSeconds() + "s" : d.toMinutes() + "m";
    }
}
