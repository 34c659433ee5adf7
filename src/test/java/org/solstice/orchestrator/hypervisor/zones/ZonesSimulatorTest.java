package org.solstice.orchestrator.hypervisor.zones;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.process.CommandResult;
import org.solstice.orchestrator.process.CommandRunner;

/**
 * The simulator itself refuses what the real commands refuse: a fake that accepted anything would let the
 * backend tests pass against behaviour illumos does not have.
 */
class ZonesSimulatorTest {
    @TempDir
    Path dir;

    private IllumosSimulator sim;
    private String zone;

    @BeforeEach
    void setUp() throws IOException {
        sim = IllumosSimulator.withDefaultDatasets(dir);
        sim.run("zfs", "create", "-V", "1M", "rpool/solstice/jobs/disk");
        sim.run("dladm", "create-vnic", "-t", "-l", IllumosSimulator.LINK, "vnic0");
        zone = "z1";
        Path cfg = dir.resolve("z1.cfg");
        Files.writeString(cfg, ZonecfgScript.blank().set("brand", "bhyve")
                .set("zonepath", sim.zonesRoot.resolve("z1").toString()).set("ip-type", "exclusive")
                .net("vnic0").device(sim.zvolRoot.resolve("rpool/solstice/jobs/disk").toString())
                .attr("bootdisk", "rpool/solstice/jobs/disk").render());
        sim.run("zonecfg", "-z", zone, "-f", cfg.toString());
    }

    private CommandResult attempt(String... command) {
        List<String> argv = new ArrayList<>(List.of(command));
        argv.set(0, sim.bin.resolve(command[0]).toString());
        return new CommandRunner(sim.environment()).run(argv, Duration.ofSeconds(20));
    }

    @Test
    void zoneStateMachineIsEnforced() {
        assertThat(attempt("zoneadm", "-z", zone, "boot").stderr())
                .contains("boot operation is invalid for configured zones");
        assertThat(attempt("zoneadm", "-z", zone, "list", "-p").stdout())
                .isEqualTo("-:z1:configured:" + sim.zonesRoot.resolve("z1") + "::bhyve:excl\n");
        sim.run("zoneadm", "-z", zone, "install");
        assertThat(attempt("zoneadm", "-z", zone, "install").stderr())
                .contains("install operation is invalid for installed zones");
        assertThat(attempt("zonecfg", "-z", zone, "delete", "-F").succeeded()).isFalse();
        sim.run("zoneadm", "-z", zone, "boot");
        assertThat(attempt("zoneadm", "-z", zone, "boot").stderr()).contains("already running");
        assertThat(attempt("zoneadm", "-z", zone, "uninstall", "-F").stderr())
                .contains("uninstall operation is invalid for running zones");
        assertThat(attempt("dladm", "delete-vnic", "vnic0").stderr()).contains("link busy");
        assertThat(attempt("zfs", "destroy", "rpool/solstice/jobs/disk").stderr()).contains("dataset is busy");
        assertThat(sim.run("zoneadm", "list", "-cp").stdout()).startsWith("0:global:running:/::ipkg:shared\n")
                .containsPattern("(?m)^[0-9]+:z1:running:");
        sim.run("zoneadm", "-z", zone, "halt");
        assertThat(attempt("zoneadm", "-z", zone, "halt").stderr()).contains("halt operation is invalid");
        sim.run("zoneadm", "-z", zone, "uninstall", "-F");
        sim.run("zonecfg", "-z", zone, "delete", "-F");
        assertThat(attempt("zoneadm", "-z", zone, "list", "-p").stderr()).contains("No such zone configured");
    }

    @Test
    void zonecfgRejectsWhatRealZonecfgRejects() throws IOException {
        Path bad = dir.resolve("bad.cfg");
        Files.writeString(bad, "create -b\nset brand=bhyve\nset zonepath=\"/z/x\"\nadd attr\nset name=x\nend\ncommit\n");
        assertThat(attempt("zonecfg", "-z", "x", "-f", bad.toString()).stderr()).contains("type not specified");
        Files.writeString(bad, "create -b\nset brand=bhyve\nset zonepath=\"/z/x\nset ip-type=exclusive\ncommit\n");
        assertThat(attempt("zonecfg", "-z", "x", "-f", bad.toString()).succeeded()).isFalse();
        Files.writeString(bad, "create -b\nset brand=bhyve\nset zonepath=/z/x\nadd net\nset physical=v0\ncommit\n");
        assertThat(attempt("zonecfg", "-z", "x", "-f", bad.toString()).stderr()).contains("missing 'end'");
        Files.writeString(bad, "create -b\nset brand=bhyve\nset zonepath=/z/x\n");
        assertThat(attempt("zonecfg", "-z", "x", "-f", bad.toString()).stderr()).contains("no commit");
        assertThat(attempt("zonecfg", "-z", "x", "info").stderr()).contains("No such zone configured");
    }

    @Test
    void zfsKeepsDatasetsWithDependentsUnlessToldToRecurse() {
        sim.run("zfs", "snapshot", "rpool/solstice/jobs/disk@s");
        assertThat(attempt("zfs", "clone", "rpool/solstice/jobs/disk@nope", "rpool/solstice/jobs/c").stderr())
                .contains("cannot open 'rpool/solstice/jobs/disk@nope': dataset does not exist");
        assertThat(attempt("zfs", "clone", "rpool/solstice/jobs/disk@s", "rpool/nothere/c").stderr())
                .contains("parent does not exist");
        sim.run("zfs", "clone", "rpool/solstice/jobs/disk@s", "rpool/solstice/jobs/c");
        assertThat(attempt("zfs", "destroy", "rpool/solstice/jobs/disk").stderr()).contains("has children");
        assertThat(attempt("zfs", "destroy", "rpool/solstice/jobs/disk@s").stderr()).contains("dependent clones");
        assertThat(attempt("zfs", "destroy", "-r", "rpool/solstice/jobs/disk").stderr()).contains("use '-R'");
        assertThat(sim.run("zfs", "get", "-Hp", "-o", "value", "volsize", "rpool/solstice/jobs/c").stdout())
                .isEqualTo("1048576\n");
        assertThat(attempt("zfs", "create", "-V", "1000", "rpool/solstice/jobs/odd").stderr())
                .contains("multiple of volume block size");
        sim.run("zfs", "destroy", "-R", "rpool/solstice/jobs/disk@s");
        assertThat(sim.run("zfs", "list", "-H", "-o", "name", "-r", "rpool/solstice/jobs").stdout())
                .isEqualTo("rpool/solstice/jobs\nrpool/solstice/jobs/disk\n");
    }

    @Test
    void datalinkNamesFollowIllumosRules() {
        assertThat(attempt("dladm", "create-vnic", "-t", "-l", IllumosSimulator.LINK, "novnicdigit").stderr())
                .contains("invalid link name");
        assertThat(attempt("dladm", "create-vnic", "-t", "-l", "nosuch0", "vnic1").stderr())
                .contains("invalid link name 'nosuch0'");
        assertThat(attempt("dladm", "create-vnic", "-t", "-l", IllumosSimulator.LINK, "vnic0").stderr())
                .contains("object already exists");
        assertThat(attempt("dladm", "delete-vnic", "vnic9").stderr()).contains("object not found");
    }
}
