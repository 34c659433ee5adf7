package org.solstice.orchestrator.hypervisor.libvirt;

import java.nio.file.Path;

/** Where one job's files live inside its job directory. Only {@link #consoleLog()} outlives the VM. */
record JobFiles(Path jobDir) {

    Path overlay() {
        return jobDir.resolve("disk.qcow2");
    }

    Path seed() {
        return jobDir.resolve("seed.iso");
    }

    /** Scratch directory holding user-data and meta-data while the seed ISO is built. */
    Path seedStaging() {
        return jobDir.resolve("seed.d");
    }

    Path consoleLog() {
        return jobDir.resolve("console.log");
    }
}
