package org.solstice.orchestrator.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.solstice.orchestrator.hypervisor.VmHandle;

/** A job's VM as the store knows it: enough to rebuild its {@link VmHandle} after a restart. */
public record VmRecord(String name, UUID requestId, String instanceId, String backend, Path jobDir, Path consoleLog,
                       String state, Instant createdAt) {

    public VmHandle handle() {
        return new VmHandle(requestId, name, backend, jobDir, consoleLog);
    }
}
