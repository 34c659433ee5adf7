package org.solstice.orchestrator.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.messaging.JobSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code orchestrator enqueue}: publishes a JobRequest, prints its request_id, optionally waits for its result. */
@Command(name = "enqueue", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Publish a job request (publisher confirms, mandatory routing) and print its request_id.",
            "With --wait, wait for the job's result, print it, and exit 0 when the job succeeded, 1 when it failed."
        })
public class EnqueueCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--repo-url", required = true, paramLabel = "URL", description = "Repository to build.")
    String repoUrl;

    @Option(names = "--commit-sha", required = true, paramLabel = "SHA", description = "Commit to build (hex).")
    String commitSha;

    @Option(names = "--runs-on", paramLabel = "LABEL", description = "Label (default: the image map's default_label).")
    String runsOn;

    @Option(names = "--workflow-path", paramLabel = "PATH", description = "Workflow file inside the repository.")
    String workflowPath;

    @Option(names = "--workflow-job-id", paramLabel = "ID", description = "Job of that workflow to run.")
    String workflowJobId;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "manual",
            description = "github, forgejo or manual (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--wait", description = "Wait for the job's result and exit with its success.")
    boolean await;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "2h", converter = DurationConverter.class,
            description = "How long --wait waits (default: ${DEFAULT-VALUE}); exit 3 when it runs out.")
    Duration waitTimeout;

    @Mixin
    AmqpOptions amqp = new AmqpOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JobRequest request = new JobRequest(UUID.randomUUID(), JobSource.parse(source), repoUrl, commitSha,
                workflowPath, workflowJobId, runsOn, Instant.now(), null, null);
        // validate exactly as the daemon will, so a bad value fails here rather than in the dead-letter queue
        request = JobMessageCodec.decodeRequest(JobMessageCodec.encodeRequest(request));
        try (JobClient client = new JobClient(amqp.toSettings(1), amqp.toSecurity())) {
            if (await) {
                client.watchResults();
            }
            client.publish(request);
            out.println(request.requestId());
            out.flush();
            if (!await) {
                return 0;
            }
            Optional<JobResult> result = client.awaitResult(request.requestId(), waitTimeout);
            if (result.isEmpty()) {
                err.println("no result for job " + request.requestId() + " within " + waitTimeout);
                return 3;
            }
            JobResult r = result.get();
            out.printf("%s: %s (exit code %d)%n%s%n", r.requestId(), r.success() ? "success" : "failure",
                    r.exitCode(), r.summary());
            return r.success() ? 0 : 1;
        }
    }
}
