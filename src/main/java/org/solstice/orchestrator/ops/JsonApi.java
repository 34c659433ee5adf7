package org.solstice.orchestrator.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        for (JobRecord j : state.recentJobs(Math.max(1, Math.min(limit, MAX_JOBS)))) {
            ObjectNode n = jobs.addObject();
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

    private static String time(Instant t) {
        return t == null ? null : OpsMessages.time(t);
    }
}
