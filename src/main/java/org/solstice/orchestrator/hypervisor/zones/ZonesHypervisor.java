package org.solstice.orchestrator.hypervisor.zones;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.hypervisor.BackendCapabilities;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.process.CommandResult;
import org.solstice.orchestrator.process.CommandRunner;

/**
 * Runs each job as an illumos bhyve-branded zone on a ZFS clone of its image (see docs/zones.md).
 *
 * <p>provision: image volume and snapshot (once per image), {@code zfs clone} (grown to the job's disk), VNIC,
 * NoCloud seed ISO, {@code zonecfg -f}, {@code zoneadm install}. start: console capture, {@code zoneadm boot}.
 * Power-off is seen as the zone falling back to {@code installed}. Teardown: {@code shutdown}, {@code halt},
 * {@code uninstall -F}, {@code zonecfg delete -F}, {@code zfs destroy -r}, VNIC and seed removed.
 */
public class ZonesHypervisor implements Hypervisor {
    public static final String NAME = "zones";
    private static final Logger log = LoggerFactory.getLogger(ZonesHypervisor.class);
    private static final Duration CONSOLE_DRAIN = Duration.ofSeconds(10);
    private static final String ZONECFG_FILE = "zonecfg.cmd";

    private final ZonesConfig config;
    private final ZoneAdmin zones;
    private final ZfsVolumes volumes;
    private final Vnics vnics;
    private final SeedIso seeds;
    private final ConsoleCaptures consoles;

    public ZonesHypervisor(ZonesConfig config) {
        this(config, Map.of());
    }

    /** @param environment added to every command's environment (tests put the illumos simulator first on PATH) */
    public ZonesHypervisor(ZonesConfig config, Map<String, String> environment) {
        this.config = config;
        CommandRunner runner = new CommandRunner(environment);
        HostCommands admin = new HostCommands(runner, config.commandTimeout(), config.commandPrefix());
        this.zones = new ZoneAdmin(admin, config);
        this.volumes = new ZfsVolumes(admin, config);
        this.vnics = new Vnics(admin, config);
        this.seeds = new SeedIso(new HostCommands(runner, config.commandTimeout()), config);
        this.consoles = new ConsoleCaptures(config, environment);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BackendCapabilities capabilities() {
        return BackendCapabilities.VIRTUAL_MACHINES;
    }

    @Override
    public void prepare() {
        for (String dataset : List.of(config.imagesDataset(), config.jobsDataset())) {
            if (!volumes.exists(dataset)) {
                throw new HypervisorException("ZFS dataset " + dataset + " does not exist: create it with"
                        + " 'zfs create -p " + dataset + "' (see docs/zones.md)");
            }
        }
        if (!vnics.linkExists(config.physicalLink())) {
            throw new HypervisorException("datalink " + config.physicalLink() + " for the job VNICs does not exist"
                    + " ('dladm show-link' lists the host's links)");
        }
        if (!Files.isDirectory(config.zonepathRoot())) {
            throw new HypervisorException("zonepath root " + config.zonepathRoot() + " is not a directory");
        }
    }

    @Override
    public VmHandle provision(VmSpec spec) {
        String zone = spec.vmName();
        if (spec.imagePath() == null || !Files.isRegularFile(spec.imagePath())) {
            throw new HypervisorException("cannot provision " + zone + ": image file " + spec.imagePath()
                    + " does not exist");
        }
        if (zones.state(zone) != ZoneState.ABSENT) {
            throw new HypervisorException("zone " + zone + " already exists");
        }
        String clone = volumes.jobDataset(zone);
        if (volumes.exists(clone)) {
            throw new HypervisorException("cannot provision " + zone + ": dataset " + clone + " already exists");
        }
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            String snapshot = volumes.ensureImage(spec.imageName(), spec.imagePath());
            createJobDir(spec);
            volumes.cloneForJob(snapshot, clone, spec.diskGiB());
            undo.push(() -> volumes.destroy(clone));
            String vnic = Vnics.nameFor(spec.jobId());
            vnics.create(vnic);
            undo.push(() -> vnics.delete(vnic));
            Path seed = null;
            if (spec.nocloud()) {
                undo.push(() -> SeedIso.deleteQuietly(SeedIso.pathFor(spec.jobDir())));
                seed = seeds.write(spec);
            }
            Path commandFile = spec.jobDir().resolve(ZONECFG_FILE);
            writeCommandFile(commandFile, ZoneDefinition.forJob(spec, config, clone, volumes.device(clone), vnic,
                    seed));
            undo.push(() -> removeZone(zone));
            try {
                zones.configure(zone, commandFile);
            } finally {
                SeedIso.deleteQuietly(commandFile);
            }
            zones.install(zone);
            log.info("provisioned zone {} on {} (image {})", zone, clone, snapshot);
            return VmHandle.of(spec, NAME);
        } catch (RuntimeException e) {
            HypervisorException failure = e instanceof HypervisorException h ? h
                    : new HypervisorException("cannot provision " + zone + ": " + e.getMessage(), e);
            rollBack(zone, undo, failure);
            throw failure;
        }
    }

    @Override
    public void start(VmHandle vm) {
        ZoneState state = zones.existing(vm.name());
        if (state.isActive()) {
            throw new HypervisorException("zone " + vm.name() + " is already " + state.name().toLowerCase());
        }
        consoles.start(vm.name(), vm.consoleLog());
        try {
            zones.boot(vm.name());
        } catch (RuntimeException e) {
            consoles.stop(vm.name());
            throw e;
        }
        log.info("booted zone {}", vm.name());
    }

    @Override
    public boolean awaitPowerOff(VmHandle vm, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean attached = false;
        while (true) {
            ZoneState state = zones.existing(vm.name());
            if (state.isActive() && !attached) {
                attached = true;
                if (!consoles.isCapturing(vm.name())) {
                    log.info("re-attaching the console of running zone {} (daemon restarted?)", vm.name());
                    consoles.start(vm.name(), vm.consoleLog());
                }
            }
            if (!state.isActive()) {
                if (!consoles.awaitDrained(vm.name(), CONSOLE_DRAIN)) {
                    log.warn("console capture of zone {} did not end after the zone halted", vm.name());
                }
                return true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(config.pollInterval().toMillis(), remaining / 1_000_000)));
        }
    }

    @Override
    public boolean stop(VmHandle vm, Duration timeout) throws InterruptedException {
        if (!zones.state(vm.name()).isActive()) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            pressPowerButton(vm.name(), remaining(deadline));
            Duration wait = remaining(deadline);
            if (wait.compareTo(config.shutdownResend()) > 0) {
                wait = config.shutdownResend();
            }
            if (awaitPowerOff(vm, wait)) {
                return true;
            }
            if (remaining(deadline).isZero()) {
                return false;
            }
            log.info("zone {} is still running, pressing its power button again", vm.name());
        }
    }

    private void pressPowerButton(String zone, Duration left) {
        Duration limit = left.compareTo(config.commandTimeout()) < 0 ? left : config.commandTimeout();
        try {
            CommandResult result = zones.shutdown(zone, limit.isZero() ? Duration.ofMillis(1) : limit);
            if (!result.succeeded()) {
                log.warn("zoneadm shutdown of {} failed: {}", zone, result.stderr().strip());
            }
        } catch (HypervisorException e) {
            log.warn("zoneadm shutdown of {} did not return: {}", zone, e.getMessage());
        }
    }

    private static Duration remaining(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    @Override
    public void destroy(VmHandle vm) {
        if (zones.state(vm.name()).isActive()) {
            zones.halt(vm.name());
            log.info("halted zone {}", vm.name());
        }
        try {
            consoles.awaitDrained(vm.name(), Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consoles.stop(vm.name());
    }

    @Override
    public void cleanup(VmHandle vm) {
        String zone = vm.name();
        consoles.stop(zone);
        removeZone(zone);
        volumes.destroy(volumes.jobDataset(zone));
        vnics.delete(Vnics.nameFor(vm.jobId()));
        SeedIso.deleteQuietly(SeedIso.pathFor(vm.jobDir()));
        SeedIso.deleteQuietly(vm.jobDir().resolve(ZONECFG_FILE));
    }

    @Override
    public List<String> listManagedVms(String instanceId) {
        List<String> names = new ArrayList<>();
        for (ZoneEntry entry : zones.listAll()) {
            if ("bhyve".equals(entry.brand())
                    && instanceId.equals(zones.attr(entry.name(), ZoneDefinition.INSTANCE_ATTR))) {
                names.add(entry.name());
            }
        }
        return names;
    }

    @Override
    public void close() {
        consoles.close();
    }

    /** Halts, uninstalls and deletes the zone as far as its state needs; an absent zone is fine. */
    private void removeZone(String zone) {
        ZoneState state = zones.state(zone);
        if (state.isActive()) {
            zones.halt(zone);
        }
        if (state.isInstalled()) {
            zones.uninstall(zone);
        }
        if (state != ZoneState.ABSENT) {
            zones.delete(zone);
        }
    }

    private static void createJobDir(VmSpec spec) {
        try {
            Files.createDirectories(spec.jobDir());
        } catch (IOException e) {
            throw new HypervisorException("cannot create job directory " + spec.jobDir() + ": " + e, e);
        }
    }

    private static void writeCommandFile(Path file, ZonecfgScript script) {
        try {
            Files.writeString(file, script.render(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new HypervisorException("cannot write zonecfg command file " + file + ": " + e, e);
        }
    }

    private static void rollBack(String zone, Deque<Runnable> undo, HypervisorException failure) {
        log.warn("provisioning zone {} failed, removing what was created: {}", zone, failure.getMessage());
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
