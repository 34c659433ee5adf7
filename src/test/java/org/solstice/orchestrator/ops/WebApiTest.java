package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.ImageDefinitions.anImage;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.images.PreparationOutcome;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobState;

/** What /api/images and /api/host say, from a daemon state given by hand. */
class WebApiTest {
    @TempDir
    Path dir;

    @Test
    void imagesShowCapacityStateAndPreparationProgress() throws Exception {
        ImageDefinition ubuntu = anImage().named("ubuntu").from(URI.create("https://images.example/u.qcow2"))
                .at(dir.resolve("u.qcow2")).sha256("ab".repeat(32)).build();
        ImageDefinition illumos = anImage().named("illumos").from(URI.create("https://images.example/oi.img"))
                .at(dir.resolve("oi.img")).build();
        Files.writeString(dir.resolve("oi.img"), "an image without its sidecar");
        ImageProgress progress = new ImageProgress();
        progress.started(ubuntu, 2);
        progress.progress(ubuntu, 512, 2048);
        progress.started(illumos, 1);
        progress.finished(illumos, new PreparationOutcome(PreparationOutcome.Result.FAILED, 0, -1, null,
                Duration.ofSeconds(1), 3, "404 from the source"));
        WebApi api = new WebApi(new State(List.of(ubuntu, illumos), List.of()), new JobTimeline(), progress, "me");

        JsonNode images = api.images().path("images");
        assertThat(images).hasSize(2);
        JsonNode u = images.get(0);
        assertThat(u.path("image").asText()).isEqualTo("ubuntu");
        assertThat(u.path("aliases").get(0).asText()).isEqualTo("linux");
        assertThat(u.path("in_use").asInt()).isEqualTo(1);
        assertThat(u.path("limit").asInt()).isEqualTo(2);
        assertThat(u.path("waiting").asInt()).isEqualTo(3);
        assertThat(u.path("state").asText()).isEqualTo("missing");
        assertThat(u.path("sha256").asText()).as("the map's checksum until one is prepared").isEqualTo("ab".repeat(32));
        assertThat(u.path("source").asText()).isEqualTo("https://images.example/u.qcow2");
        assertThat(u.path("preparation").path("phase").asText()).isEqualTo("preparing");
        assertThat(u.path("preparation").path("attempt").asInt()).isEqualTo(2);
        assertThat(u.path("preparation").path("position").asLong()).isEqualTo(512);
        assertThat(u.path("preparation").path("total").asLong()).isEqualTo(2048);
        JsonNode oi = images.get(1);
        assertThat(oi.path("state").asText()).isEqualTo("stale");
        assertThat(oi.path("size").asLong()).isEqualTo(28);
        assertThat(oi.path("preparation").path("phase").asText()).isEqualTo("failed");
        assertThat(oi.path("preparation").path("detail").asText()).isEqualTo("404 from the source");
    }

    @Test
    void hostListsItselfAndTheOtherInstancesOfTheStore() {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        List<JobRecord> rows = List.of(
                job("other", t.plusSeconds(20), null),
                job("me", t.plusSeconds(10), t.plusSeconds(15)),
                job("other", t, t.plusSeconds(5)));
        JsonNode host = new WebApi(new State(List.of(), rows), new JobTimeline(), new ImageProgress(), "me").host();
        assertThat(host.path("instance").asText()).isEqualTo("me");
        assertThat(host.path("backends").get(0).asText()).isEqualTo("noop");
        JsonNode instances = host.path("instances");
        assertThat(instances).hasSize(2);
        assertThat(instances.get(0).path("instance").asText()).isEqualTo("me");
        assertThat(instances.get(0).path("this_host").asBoolean()).isTrue();
        assertThat(instances.get(1).path("instance").asText()).isEqualTo("other");
        assertThat(instances.get(1).path("jobs").asInt()).isEqualTo(2);
        assertThat(instances.get(1).path("unfinished").asInt()).isEqualTo(1);
        assertThat(instances.get(1).path("last_accepted_at").asText()).isEqualTo("2026-12-07T10:00:20Z");
    }

    private static JobRecord job(String instance, Instant accepted, Instant finished) {
        return new JobRecord(UUID.randomUUID(), instance, "linux", "ubuntu", "{}",
                finished == null ? JobState.RUNNING : JobState.FINISHED, 1, accepted, accepted, finished,
                finished == null ? null : "success", null, finished != null);
    }

    /** A daemon state with the given images (ubuntu has capacity figures) and store rows. */
    private record State(List<ImageDefinition> images, List<JobRecord> rows) implements DaemonState {
        @Override
        public boolean brokerConnected() {
            return true;
        }

        @Override
        public boolean consuming() {
            return true;
        }

        @Override
        public boolean hypervisorReachable() {
            return true;
        }

        @Override
        public boolean storeReachable() {
            return true;
        }

        @Override
        public Capacity global() {
            return new Capacity(1, 2, 3);
        }

        @Override
        public List<LabelCapacity> labels() {
            return List.of(new LabelCapacity("ubuntu", List.of("linux"), 1, 2, 3));
        }

        @Override
        public List<JobRecord> recentJobs(int limit) {
            return rows;
        }

        @Override
        public List<String> backends() {
            return List.of("noop");
        }

        @Override
        public long leakedVmsReaped() {
            return 0;
        }

        @Override
        public long brokerReconnects() {
            return 0;
        }

        @Override
        public long jobsRouted() {
            return 0;
        }

        @Override
        public long jobsTakenDirectly() {
            return 0;
        }

        @Override
        public long jobsUnroutable() {
            return 0;
        }
    }
}
