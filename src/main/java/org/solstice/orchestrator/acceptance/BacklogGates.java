package org.solstice.orchestrator.acceptance;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.scheduling.AdmissionGate;

/**
 * The backlog gate of every image: how many accepted jobs of it may wait here to start. Each image has its own,
 * so a saturated label holds back no other. A job resumed from the store took no slot (it came from no delivery)
 * and gives none back.
 */
final class BacklogGates {
    /** One per image of the map, made up front so that closing them all at shutdown leaves none open. */
    private final Map<String, AdmissionGate> gates;
    private final Set<UUID> slotless = ConcurrentHashMap.newKeySet();

    BacklogGates(ImageMap images, int maxPendingPerImage) {
        Map<String, AdmissionGate> perImage = new HashMap<>();
        images.images().keySet().forEach(name -> perImage.put(name, new AdmissionGate(maxPendingPerImage)));
        this.gates = Map.copyOf(perImage);
    }

    /** Blocks while the image's backlog is full; false (no slot taken) once the gates are closed. */
    boolean enter(ImageDefinition image) throws InterruptedException {
        return gate(image).enter();
    }

    /** Takes a slot only when nothing of the image waits here; never blocks. */
    boolean tryEnterIfIdle(ImageDefinition image) {
        return gate(image).tryEnterIfIdle();
    }

    /** Gives back a slot taken by {@link #enter} or {@link #tryEnterIfIdle} for a job that was not accepted. */
    void leave(ImageDefinition image) {
        gate(image).leave();
    }

    /** The job holds no slot (resumed from the store): {@link #release} gives none back for it. */
    void holdsNoSlot(AcceptedJob job) {
        slotless.add(job.id());
    }

    /** The job starts or ends without starting: its slot, if it took one, is free again. */
    void release(AcceptedJob job) {
        if (!slotless.remove(job.id())) {
            leave(job.image());
        }
    }

    /** Wakes every waiter with false and refuses new entries. */
    void close() {
        gates.values().forEach(AdmissionGate::close);
    }

    private AdmissionGate gate(ImageDefinition image) {
        return gates.get(image.name());
    }
}
