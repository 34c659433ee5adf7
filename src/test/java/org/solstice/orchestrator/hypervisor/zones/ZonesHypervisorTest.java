package org.solstice.orchestrator.hypervisor.zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.solstice.orchestrator.testing.VmSpecs.aVmSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.guest.ExitMarker;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.VmSpec;

/** The exact commands the zones backend runs for a job's life and for each failure, against the simulator. */
class ZonesHypervisorTest {
    private static final String INSTANCE = "zones-test";
    private static final String IMAGES = "rpool/solstice/images";
    private static final String JOBS = "rpool/solstice/jobs";

    @TempDir
    Path dir;

    private IllumosSimulator sim;
    private ZonesHypervisor zones;
    private Path image;

    @BeforeEach
    void setUp() throws IOException {
        sim = IllumosSimulator.withDefaultDatasets(dir);
        zones = sim.hypervisor(sim.config().build());
        image = dir.resolve("openindiana.raw");
        byte[] bytes = new byte[200_000];
        bytes[0] = 'O';
        bytes[bytes.length - 1] = 'I';
        Files.write(image, bytes);
    }

    @AfterEach
    void tearDown() throws IOException {
        zones.close();
        assertThat(sim.killGuests()).as("guests left running by the test").isZero();
    }

    private VmSpec spec(String userData, long diskGiB) {
        UUID id = UUID.randomUUID();
        return aVmSpec().forJob(id).image("openindiana-hipster", image).backend("zones").cpus(2).memoryMiB(1024)
                .diskGiB(diskGiB).userData(userData).instanceId(INSTANCE).jobDirUnder(dir.resolve("jobs")).build();
    }

    private static String exiting(int status) {
        return "#!/bin/sh\necho 'building'\necho " + ExitMarker.PREFIX + status + "\npoweroff -f\n";
    }

    private static final String FOREVER = "#!/bin/sh\nwhile true; do sleep 1; done\n";

    @Test
    void aJobsWholeLifeRunsExactlyTheseCommands() throws Exception {
        VmSpec spec = spec(exiting(7), 1);
        String zone = spec.vmName();
        String clone = JOBS + "/" + zone;
        String snapshot = IMAGES + "/openindiana-hipster@" + ZfsVolumes.snapshotName(image);
        String vnic = Vnics.nameFor(spec.jobId());

        VmHandle vm = zones.provision(spec);
        zones.start(vm);
        assertThat(zones.awaitPowerOff(vm, Duration.ofSeconds(20))).isTrue();
        zones.destroy(vm);
        zones.cleanup(vm);

        assertThat(collapsed(sim.commands())).containsExactly(
                List.of("zoneadm", "-z", zone, "list", "-p"),
                List.of("zfs", "list", "-H", "-o", "name", clone),
                List.of("zfs", "list", "-H", "-o", "name", snapshot),
                List.of("zfs", "list", "-H", "-o", "name", IMAGES + "/openindiana-hipster"),
                List.of("zfs", "create", "-V", "1048576", IMAGES + "/openindiana-hipster"),
                List.of("zfs", "snapshot", snapshot),
                List.of("zfs", "clone", snapshot, clone),
                List.of("zfs", "get", "-Hp", "-o", "value", "volsize", clone),
                List.of("zfs", "set", "volsize=1073741824", clone),
                List.of("dladm", "create-vnic", "-t", "-l", IllumosSimulator.LINK, vnic),
                List.of("zonecfg", "-z", zone, "-f", spec.jobDir().resolve("zonecfg.cmd").toString()),
                List.of("zoneadm", "-z", zone, "install"),
                List.of("zoneadm", "-z", zone, "list", "-p"),
                List.of("zlogin", "-C", "-E", "-d", zone),
                List.of("zoneadm", "-z", zone, "boot"),
                List.of("zoneadm", "-z", zone, "list", "-p"),
                List.of("zoneadm", "-z", zone, "uninstall", "-F"),
                List.of("zonecfg", "-z", zone, "delete", "-F"),
                List.of("zfs", "list", "-H", "-o", "name", clone),
                List.of("zfs", "destroy", "-r", clone),
                List.of("dladm", "show-vnic", "-p", "-o", "link", vnic),
                List.of("dladm", "delete-vnic", vnic));

        String console = Files.readString(vm.consoleLog(), StandardCharsets.UTF_8);
        assertThat(ExitMarker.find(console)).hasValue(7);
        assertThat(console).contains("building");
        assertNothingLeftOf(spec);
        assertThat(sim.run("zfs", "list", "-H", "-o", "name", snapshot).stdout().strip())
                .as("the image snapshot stays for the next job").isEqualTo(snapshot);
    }

    @Test
    void theJobDiskIsAGrownCloneOfTheImage() throws Exception {
        VmSpec spec = spec(FOREVER, 2);
        zones.provision(spec);

        Path disk = sim.zvolRoot.resolve(JOBS + "/" + spec.vmName());
        assertThat(Files.size(disk)).isEqualTo(2L << 30);
        byte[] head = new byte[200_000];
        try (var in = Files.newInputStream(disk)) {
            assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
        }
        assertThat(head).isEqualTo(Files.readAllBytes(image));
        zones.cleanup(VmHandle.of(spec, ZonesHypervisor.NAME));
    }

    @Test
    void anImageIsImportedOnceForConcurrentJobsAndAgainWhenItChanges() throws Exception {
        VmSpec first = spec(FOREVER, 0);
        VmSpec second = spec(FOREVER, 0);
        List<Throwable> failures = new ArrayList<>();
        Thread other = new Thread(() -> {
            try {
                zones.provision(second);
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        other.start();
        zones.provision(first);
        other.join();
        assertThat(failures).isEmpty();
        assertThat(sim.commands()).filteredOn(c -> c.get(0).equals("zfs") && c.get(1).equals("create")).hasSize(1);

        Files.write(image, new byte[3 << 20]);
        Files.setLastModifiedTime(image, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
        sim.clearLog();
        VmSpec third = spec(FOREVER, 0);
        zones.provision(third);
        String volume = IMAGES + "/openindiana-hipster";
        String newSnapshot = volume + "@" + ZfsVolumes.snapshotName(image);
        assertThat(collapsed(sim.commands()).subList(2, 8)).containsExactly(
                List.of("zfs", "list", "-H", "-o", "name", newSnapshot),
                List.of("zfs", "list", "-H", "-o", "name", volume),
                List.of("zfs", "get", "-Hp", "-o", "value", "volsize", volume),
                List.of("zfs", "set", "volsize=" + (3 << 20), volume),
                List.of("zfs", "snapshot", newSnapshot),
                List.of("zfs", "clone", newSnapshot, JOBS + "/" + third.vmName()));
        for (VmSpec spec : List.of(first, second, third)) {
            zones.cleanup(VmHandle.of(spec, ZonesHypervisor.NAME));
        }
    }

    @Test
    void aFailedInstallRemovesEverythingProvisionCreated() throws Exception {
        sim.inject("install-fails", "brand install hook failed: bhyve brand not installed");
        VmSpec spec = spec(exiting(0), 0);
        String zone = spec.vmName();
        String clone = JOBS + "/" + zone;
        String vnic = Vnics.nameFor(spec.jobId());

        assertThatThrownBy(() -> zones.provision(spec))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("installing zone " + zone)
                .hasMessageContaining("brand install hook failed: bhyve brand not installed");

        List<List<String>> commands = collapsed(sim.commands());
        assertThat(commands.subList(commands.indexOf(List.of("zoneadm", "-z", zone, "install")), commands.size()))
                .containsExactly(
                        List.of("zoneadm", "-z", zone, "install"),
                        List.of("zoneadm", "-z", zone, "list", "-p"),
                        List.of("zoneadm", "-z", zone, "uninstall", "-F"),
                        List.of("zonecfg", "-z", zone, "delete", "-F"),
                        List.of("dladm", "show-vnic", "-p", "-o", "link", vnic),
                        List.of("dladm", "delete-vnic", vnic),
                        List.of("zfs", "list", "-H", "-o", "name", clone),
                        List.of("zfs", "destroy", "-r", clone));
        assertNothingLeftOf(spec);
    }

    @Test
    void aFailedBootRaisesItsStderrAndCleanupRemovesTheZone() throws Exception {
        sim.inject("boot-fails", "call to zoneadmd failed: bhyve: could not open /dev/vmmctl");
        VmSpec spec = spec(exiting(0), 0);
        String zone = spec.vmName();
        VmHandle vm = zones.provision(spec);
        sim.clearLog();

        assertThatThrownBy(() -> zones.start(vm))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("booting zone " + zone)
                .hasMessageContaining("could not open /dev/vmmctl");
        assertThat(zoneState(zone)).isEqualTo("installed");

        zones.destroy(vm);
        zones.cleanup(vm);
        assertThat(collapsed(sim.commands())).containsExactly(
                List.of("zoneadm", "-z", zone, "list", "-p"),
                List.of("zlogin", "-C", "-E", "-d", zone),
                List.of("zoneadm", "-z", zone, "boot"),
                List.of("zoneadm", "-z", zone, "list", "-p"),
                List.of("zoneadm", "-z", zone, "uninstall", "-F"),
                List.of("zonecfg", "-z", zone, "delete", "-F"),
                List.of("zfs", "list", "-H", "-o", "name", JOBS + "/" + zone),
                List.of("zfs", "destroy", "-r", JOBS + "/" + zone),
                List.of("dladm", "show-vnic", "-p", "-o", "link", Vnics.nameFor(spec.jobId())),
                List.of("dladm", "delete-vnic", Vnics.nameFor(spec.jobId())));
        assertNothingLeftOf(spec);
    }

    @Test
    void aGuestThatIgnoresShutdownGetsThePowerButtonAgainThenIsReportedRunningAndHalted() throws Exception {
        sim.inject("shutdown-ignored", "");
        zones.close();
        zones = sim.hypervisor(sim.config().shutdownResend(Duration.ofMillis(600)).build());
        VmSpec spec = spec(FOREVER, 0);
        String zone = spec.vmName();
        VmHandle vm = zones.provision(spec);
        zones.start(vm);
        sim.clearLog();

        long started = System.nanoTime();
        assertThat(zones.stop(vm, Duration.ofMillis(1500))).as("stopped gracefully").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(zoneState(zone)).isEqualTo("running");
        zones.destroy(vm);

        List<List<String>> commands = collapsed(sim.commands());
        List<String> list = List.of("zoneadm", "-z", zone, "list", "-p");
        List<String> shutdown = List.of("zoneadm", "-z", zone, "shutdown");
        assertThat(commands.get(0)).isEqualTo(list);
        assertThat(commands.subList(1, commands.size() - 2)).as("shutdown, poll, shutdown again, poll ...")
                .containsOnly(shutdown, list).startsWith(shutdown, list);
        assertThat(commands).filteredOn(shutdown::equals).hasSizeBetween(2, 3);
        assertThat(commands.subList(commands.size() - 2, commands.size())).containsExactly(list,
                List.of("zoneadm", "-z", zone, "halt"));
        assertThat(zoneState(zone)).isEqualTo("installed");
        zones.cleanup(vm);
        assertNothingLeftOf(spec);
    }

    @Test
    void aRestartedDaemonReattachesTheConsoleOfARunningJob() throws Exception {
        VmSpec spec = spec("#!/bin/sh\nsleep 3\necho " + ExitMarker.PREFIX + "5\npoweroff\n", 0);
        VmHandle vm = zones.provision(spec);
        zones.start(vm);
        zones.close();

        zones = sim.hypervisor(sim.config().build());
        assertThat(zones.awaitPowerOff(vm, Duration.ofSeconds(20))).isTrue();
        assertThat(ExitMarker.find(Files.readString(vm.consoleLog()))).hasValue(5);
        zones.cleanup(vm);
    }

    @Test
    void commandsRunBehindTheConfiguredPrivilegePrefix() throws Exception {
        ZonesHypervisor viaEnv = sim.hypervisor(sim.config().commandPrefix(List.of("/usr/bin/env")).build());
        viaEnv.prepare();
        ZonesHypervisor viaMissing = sim.hypervisor(sim.config().commandPrefix(List.of("/nonexistent/pfexec")).build());
        assertThatThrownBy(viaMissing::prepare).hasMessageContaining("/nonexistent/pfexec");
    }

    @Test
    void cloningASnapshotThatIsGoneFailsWithZfsError() {
        ZonesConfig config = sim.config().build();
        ZfsVolumes volumes = new ZfsVolumes(new HostCommands(
                new org.solstice.orchestrator.process.CommandRunner(sim.environment()), config.commandTimeout()), config);

        assertThatThrownBy(() -> volumes.cloneForJob(IMAGES + "/gone@img-1-2", JOBS + "/job-x", 0))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("cloning " + IMAGES + "/gone@img-1-2")
                .hasMessageContaining("cannot open '" + IMAGES + "/gone@img-1-2': dataset does not exist");
    }

    @Test
    void theImageVolumeCannotBeDestroyedWhileAJobDiskIsClonedFromIt() throws Exception {
        VmSpec spec = spec(FOREVER, 0);
        zones.provision(spec);

        assertThatThrownBy(() -> sim.run("zfs", "destroy", "-r", IMAGES + "/openindiana-hipster"))
                .hasMessageContaining("dependent clones");
        zones.cleanup(VmHandle.of(spec, ZonesHypervisor.NAME));
        sim.run("zfs", "destroy", "-r", IMAGES + "/openindiana-hipster");
    }

    @Test
    void prepareNamesTheMissingDatasetAndLink() throws Exception {
        sim.run("zfs", "destroy", JOBS);
        assertThatThrownBy(() -> zones.prepare()).hasMessageContaining("zfs create -p " + JOBS);
        sim.run("zfs", "create", JOBS);

        ZonesHypervisor wrongLink = sim.hypervisor(ZonesConfig.builder("e1000g9").commandsIn(sim.bin)
                .zonepathRoot(sim.zonesRoot).build());
        assertThatThrownBy(wrongLink::prepare).hasMessageContaining("datalink e1000g9");
        zones.prepare();
    }

    @Test
    void listManagedVmsFindsOnlyThisInstancesZones() throws Exception {
        VmSpec mine = spec(FOREVER, 0);
        VmSpec theirs = aVmSpec().vmName(VmSpec.vmNameFor(UUID.randomUUID())).image("openindiana-hipster", image)
                .memoryMiB(512).nocloud(false).userData(null).hostname("other").instanceId("other-instance")
                .jobDir(dir.resolve("jobs/other")).build();
        zones.provision(mine);
        zones.provision(theirs);

        assertThat(zones.listManagedVms(INSTANCE)).containsExactly(mine.vmName());
        assertThat(zones.listManagedVms("other-instance")).containsExactly(theirs.vmName());
        zones.cleanup(VmHandle.of(mine, ZonesHypervisor.NAME));
        zones.cleanup(VmHandle.of(theirs, ZonesHypervisor.NAME));
        assertThat(zones.listManagedVms(INSTANCE)).isEmpty();
    }

    private String zoneState(String zone) {
        return ZoneEntry.parse(sim.run("zoneadm", "-z", zone, "list", "-p").stdout().strip()).state().name()
                .toLowerCase();
    }

    private void assertNothingLeftOf(VmSpec spec) throws IOException {
        assertThat(sim.run("zoneadm", "list", "-cp").stdout()).doesNotContain(spec.vmName());
        assertThat(sim.run("zfs", "list", "-H", "-o", "name", "-r", JOBS).stdout().strip()).isEqualTo(JOBS);
        assertThat(sim.run("dladm", "show-vnic", "-p", "-o", "link").stdout()).isBlank();
        assertThat(sim.zonesRoot.resolve(spec.vmName())).doesNotExist();
        try (var files = Files.walk(spec.jobDir())) {
            assertThat(files.filter(Files::isRegularFile).toList())
                    .allMatch(p -> p.equals(spec.consoleLog()), "only the console log is kept");
        }
    }

    /** The command log with repeated polls ({@code list -p} run again and again) collapsed into one. */
    private static List<List<String>> collapsed(List<List<String>> commands) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> command : commands) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(command)) {
                out.add(command);
            }
        }
        return out;
    }
}
