package org.solstice.orchestrator.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import org.solstice.orchestrator.store.JobRecord;

/** The bodies of {@code /api/jobs} and {@code /api/capacity} (docs/operations.md). */
final class JsonApi {
    static final int DEFAULT_JOBS = 50;
    static final int MAX_JOBS = 500;

    private JsonApi() {
    }

    static ObjectNode jobs(DaemonState state, int limit) {
        ObjectNode body = OpsMessages.MAPPER.createObjectNode();
        ArrayNode jobs = body.putArray("jobs");
        Instant now = Instant.now();
        for (JobRecord j : state.recentJobs(Math.max(1, Math.min(limit, MAX_JOBS)))) {
            job(jobs.addObject(), j, now);
        }
        return body;
    }

    static ObjectNode capacity(DaemonState state) {
        ObjectNode body = OpsMessages.MAPPER.createObjectNode();
        DaemonState.Capacity g = state.global();
        ObjectNode global = body.putObject("global");
        global.put("in_use", g.inUse());
        global.put("limit", g.limit());
        global.put("waiting", g.waiting());
        ArrayNode labels = body.putArray("labels");
        for (DaemonState.LabelCapacity l : state.labels()) {
            ObjectNode n = labels.addObject();
            n.put("image", l.image());
            ArrayNode aliases = n.putArray("aliases");
            l.aliases().forEach(aliases::add);
            n.put("in_use", l.inUse());
            n.put("limit", l.limit());
            n.put("waiting", l.waiting());
        }
        return body;
    }

    /** One job as /api/jobs lists it; {@code /api/jobs/<id>} adds its request, result and timeline. */
    static ObjectNode job(ObjectNode n, JobRecord j, Instant now) {
        n.put("request_id", j.requestId().toString());
        n.put("instance", j.instanceId());
        n.put("state", j.state().name().toLowerCase(java.util.Locale.ROOT));
        n.put("label", j.label());
        n.put("image", j.image());
        n.put("attempts", j.attempts());
        n.put("accepted_at", time(j.acceptedAt()));
        n.put("started_at", time(j.startedAt()));
        n.put("finished_at", time(j.finishedAt()));
        n.put("outcome", j.outcome() == null ? null : j.outcome().toLowerCase(java.util.Locale.ROOT));
        n.put("result_published", j.resultPublished());
        n.put("repo_url", field(j.requestJson(), "repo_url"));
        n.put("summary", field(j.resultJson(), "summary"));
        // accepted to started (or to now, or to its end when it never started); started to finished (or now)
        Instant waitedUntil = j.startedAt() != null ? j.startedAt() : j.finishedAt() != null ? j.finishedAt() : now;
        n.put("waiting_seconds", seconds(j.acceptedAt(), waitedUntil));
        if (j.startedAt() != null) {
            n.put("duration_seconds", seconds(j.startedAt(), j.finishedAt() != null ? j.finishedAt() : now));
        } else {
            n.putNull("duration_seconds");
        }
        return n;
    }

    /** A text field of a stored message, or null when absent or unreadable. */
    static String field(String json, String name) {
        JsonNode node = parse(json);
        return node != null && node.path(name).isTextual() ? node.path(name).asText() : null;
    }

    /** A stored message as JSON, or null when absent or not JSON. */
    static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return OpsMessages.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static double seconds(Instant from, Instant to) {
        return from == null || to == null ? 0 : Math.max(0, Duration.between(from, to).toMillis()) / 1000.0;
    }

    static String time(Instant t) {
        return t == null ? null : OpsMessages.time(t);
    }
}
