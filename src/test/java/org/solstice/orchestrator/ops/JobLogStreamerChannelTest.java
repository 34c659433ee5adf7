package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.ImageDefinitions.anImage;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobOutcome;
import org.solstice.orchestrator.job.JobPolicy;

/** joblog.v1 follows the job's own channel once the guest writes to it, and no longer the console. */
class JobLogStreamerChannelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<JsonNode> sent = new CopyOnWriteArrayList<>();

    /** Records the events instead of publishing them; the broker is not what this test is about. */
    private final EventPublisher events = new EventPublisher(null, "results") {
        @Override
        public void publish(String routingKey, String messageId, byte[] body) {
            try {
                sent.add(JSON.readTree(body));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    private String text() {
        return sent.stream().map(n -> n.get("chunk").asText()).collect(Collectors.joining());
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void theStreamSwitchesFromTheConsoleToTheJobsOutput() throws Exception {
        JobPolicy policy = new JobPolicy(dir, "test", Duration.ofMinutes(1), Duration.ofSeconds(1));
        AcceptedJob job = new AcceptedJob(aJob().build(), "label", anImage().at(dir.resolve("img")).build(),
                new byte[0], System.nanoTime());
        Path jobDir = Files.createDirectories(policy.jobDir(job.id()));
        Path console = jobDir.resolve("console.log");
        Path channel = jobDir.resolve("channel.log");
        JobLogStreamer streamer = new JobLogStreamer(events, policy);
        try {
            streamer.provisioning(job, console);
            append(console, "booting\n");
            await("the console's boot line streamed").atMost(Duration.ofSeconds(10))
                    .until(() -> text().contains("booting"));

            append(channel, "O hello\n");
            await("the job's output streamed").atMost(Duration.ofSeconds(10)).until(() -> text().contains("hello"));
            append(console, "late console line\n");
            append(channel, "O bye\n\nX 0 00112233445566778899aabb\n");
            streamer.outcome(job, JobOutcome.SUCCESS);
            await("the last chunk").atMost(Duration.ofSeconds(10))
                    .until(() -> !sent.isEmpty() && sent.get(sent.size() - 1).get("eof").asBoolean());

            assertThat(text()).isEqualTo("booting\nhello\nbye\n");
        } finally {
            streamer.close();
        }
    }
}
