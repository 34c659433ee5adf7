package org.solstice.orchestrator.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.images.ImageOnDisk;
import org.solstice.orchestrator.images.ImageRecord;
import org.solstice.orchestrator.store.JobRecord;

/**
 * The bodies the web console adds to the API: {@code /api/jobs/<id>} (a job with its request, result and
 * timeline), {@code /api/images} and {@code /api/host} (docs/operations.md).
 */
final class WebApi {
    /** How many recent store rows the host page looks through for other instances. */
    static final int FLEET_ROWS = 500;

    private final DaemonState state;
    private final JobTimeline timeline;
    private final ImageProgress progress;
    private final String instanceId;
    private final Instant startedAt = Instant.now();

    WebApi(DaemonState state, JobTimeline timeline, ImageProgress progress, String instanceId) {
        this.state = state;
        this.timeline = timeline;
        this.progress = progress;
        this.instanceId = instanceId;
    }

    Optional<ObjectNode> job(UUID id) {
        return state.job(id).map(j -> {
            ObjectNode body = OpsMessages.MAPPER.createObjectNode();
            JsonApi.job(body.putObject("job"), j, Instant.now());
            body.set("request", message(j.requestJson()));
            body.set("result", message(j.resultJson()));
            ArrayNode steps = body.putArray("timeline");
            step(steps, "accepted", j.acceptedAt());
            step(steps, "provisioning", j.instanceId().equals(instanceId)
                    ? timeline.provisioningAt(id).orElse(null) : null);
            step(steps, "running", j.startedAt());
            step(steps, "finished", j.finishedAt());
            return body;
        });
    }

    ObjectNode images() {
        Map<String, DaemonState.LabelCapacity> capacity = new LinkedHashMap<>();
        state.labels().forEach(l -> capacity.put(l.image(), l));
        ObjectNode body = OpsMessages.MAPPER.createObjectNode();
        ArrayNode images = body.putArray("images");
        for (ImageDefinition image : state.images()) {
            ObjectNode n = images.addObject();
            n.put("image", image.name());
            DaemonState.LabelCapacity c = capacity.get(image.name());
            ArrayNode aliases = n.putArray("aliases");
            if (c != null) {
                c.aliases().forEach(aliases::add);
                n.put("in_use", c.inUse());
                n.put("limit", c.limit());
                n.put("waiting", c.waiting());
            }
            n.put("source", image.source().toString());
            n.put("backend", image.backend());
            n.put("local_path", image.localPath().toString());
            ImageOnDisk disk = ImageOnDisk.of(image);
            n.put("state", disk.state().label());
            n.put("size", disk.size());
            Optional<ImageRecord> record = disk.record();
            n.put("sha256", record.map(ImageRecord::sha256).orElse(image.sha256()));
            n.put("prepared_at", record.map(ImageRecord::preparedAt).orElse(null));
            progress.of(image.name()).ifPresent(p -> {
                ObjectNode prep = n.putObject("preparation");
                prep.put("phase", p.phase());
                prep.put("attempt", p.attempt());
                prep.put("position", p.position());
                prep.put("total", p.total());
                prep.put("since", JsonApi.time(p.since()));
                prep.put("detail", p.detail());
            });
        }
        return body;
    }

    ObjectNode host() {
        ObjectNode body = OpsMessages.MAPPER.createObjectNode();
        body.put("instance", instanceId);
        body.put("state", state.hostState());
        String version = WebApi.class.getPackage().getImplementationVersion();
        body.put("version", version == null ? "development build" : version);
        ArrayNode backends = body.putArray("backends");
        state.backends().forEach(backends::add);
        body.put("started_at", JsonApi.time(startedAt));
        body.put("uptime_seconds", Duration.between(startedAt, Instant.now()).toSeconds());
        ArrayNode instances = body.putArray("instances");
        instances(instanceId, state.recentJobs(FLEET_ROWS)).forEach((name, seen) -> instances.addObject()
                .put("instance", name)
                .put("this_host", name.equals(instanceId))
                .put("jobs", seen.jobs)
                .put("unfinished", seen.unfinished)
                .put("last_accepted_at", JsonApi.time(seen.lastAccepted)));
        return body;
    }

    private static final class Seen {
        int jobs;
        int unfinished;
        Instant lastAccepted;
    }

    /** This instance, then every other with rows among the recent ones (a shared PostgreSQL holds the fleet's). */
    private static Map<String, Seen> instances(String self, List<JobRecord> recent) {
        Map<String, Seen> all = new LinkedHashMap<>();
        all.put(self, new Seen()); // this host, with or without rows
        for (JobRecord j : recent) {
            Seen s = all.computeIfAbsent(j.instanceId(), k -> new Seen());
            s.jobs++;
            if (j.finishedAt() == null) {
                s.unfinished++;
            }
            if (s.lastAccepted == null || j.acceptedAt().isAfter(s.lastAccepted)) {
                s.lastAccepted = j.acceptedAt();
            }
        }
        return all;
    }

    private static void step(ArrayNode steps, String name, Instant at) {
        steps.addObject().put("step", name).put("at", at == null ? null : JsonApi.time(at));
    }

    /** A stored message as JSON; text that is not JSON is shown as it is. */
    private static JsonNode message(String json) {
        if (json == null) {
            return OpsMessages.MAPPER.nullNode();
        }
        JsonNode node = JsonApi.parse(json);
        return node != null ? node : OpsMessages.MAPPER.getNodeFactory().textNode(json);
    }
}
