package org.solstice.orchestrator.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /readyz}: the broker connected and consuming, the hypervisor and the store reachable, and the host not
 * draining or drained.
 */
final class Readiness {
    private final Map<String, Check> checks = new LinkedHashMap<>();

    private record Check(BooleanSupplier ok, Supplier<String> whenNot) {
        Check(BooleanSupplier ok, String whenNot) {
            this(ok, () -> whenNot);
        }
    }

    Readiness(DaemonState state) {
        checks.put("broker", new Check(state::brokerConnected, "not connected to RabbitMQ (recovering)"));
        checks.put("consumer", new Check(state::consuming, "not consuming the job queue (router) and every label queue"));
        checks.put("hypervisor", new Check(state::hypervisorReachable, "the hypervisor does not answer"));
        checks.put("store", new Check(state::storeReachable, "the job store does not answer"));
        checks.put("drain", new Check(() -> "active".equals(state.hostState()), () -> state.hostState()
                + ": this host takes no new jobs (drained from the web console or shutting down)"));
    }

    /** The JSON body; {@code ready} is true when every check passed. */
    ObjectNode evaluate() {
        ObjectNode body = OpsMessages.MAPPER.createObjectNode();
        ObjectNode results = OpsMessages.MAPPER.createObjectNode();
        var notReady = OpsMessages.MAPPER.createArrayNode();
        checks.forEach((name, check) -> {
            boolean ok;
            try {
                ok = check.ok().getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            ObjectNode r = results.putObject(name);
            r.put("ok", ok);
            if (!ok) {
                r.put("detail", check.whenNot().get());
                notReady.add(name);
            }
        });
        body.put("ready", notReady.isEmpty());
        body.set("not_ready", notReady);
        body.set("checks", results);
        return body;
    }
}
