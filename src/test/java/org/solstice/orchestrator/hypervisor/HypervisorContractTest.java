package org.solstice.orchestrator.hypervisor;

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

/**
 * The behaviour every {@link Hypervisor} backend must show. Each backend's test extends this class and supplies
 * the backend and, for backends that boot real guests, scripts the guest runs.
 */
public abstract class HypervisorContractTest {
    protected static final String INSTANCE = "contract-test-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    protected Path stateDir;

    protected Hypervisor hypervisor;
    private final List<VmHandle> created = new ArrayList<>();

    /** A fresh backend; {@link Hypervisor#prepare()} is called by the test. */
    protected abstract Hypervisor createHypervisor() throws Exception;

    /** The image the VMs boot. */
    protected abstract Path imagePath() throws Exception;

    /** Whether the guest really runs its user-data (false for noop, whose guests always exit 0): as the backend says. */
    protected boolean runsGuestScripts() {
        return hypervisor.capabilities().runsGuestScripts();
    }

    /** How long a guest may take from start to power-off for a trivial job. */
    protected Duration bootTimeout() {
        return Duration.ofMinutes(2);
    }

    /** A wait that is too short for a long-running guest to finish but long enough for it to be up. */
    protected Duration shortWait() {
        return Duration.ofSeconds(2);
    }

    /** user-data that makes the guest report {@code status} and power off. */
    protected String userDataExiting(int status) {
        return "#!/bin/sh\necho 'contract test job'\necho " + ExitMarker.PREFIX + status + "\npoweroff -f\n";
    }

    /** user-data for a guest that keeps running until it is stopped. */
    protected String userDataRunningForever() {
        return "#!/bin/sh\nwhile true; do sleep 1; done\n";
    }

    /** Whether provisioning checks the image exists (noop does not use one): as the backend says. */
    protected boolean requiresImage() {
        return hypervisor.capabilities().usesImages();
    }

    @BeforeEach
    void setUpHypervisor() throws Exception {
        hypervisor = createHypervisor();
        hypervisor.prepare();
    }

    @AfterEach
    void tearDownHypervisor() {
        for (VmHandle vm : created) {
            try {
                hypervisor.destroy(vm);
                hypervisor.cleanup(vm);
            } catch (RuntimeException e) {
                // best effort: the test itself reports what went wrong
            }
        }
        hypervisor.close();
    }

    protected VmSpec spec(String userData) throws Exception {
        return spec(userData, imagePath());
    }

    protected VmSpec spec(String userData, Path image) {
        UUID id = UUID.randomUUID();
        return aVmSpec().forJob(id).image("contract-image", image).userData(userData).instanceId(INSTANCE)
                .jobDirUnder(stateDir.resolve("jobs")).build();
    }

    protected VmHandle provision(VmSpec spec) {
        VmHandle vm = hypervisor.provision(spec);
        created.add(vm);
        return vm;
    }

    private static String console(VmHandle vm) throws IOException {
        return Files.exists(vm.consoleLog()) ? Files.readString(vm.consoleLog(), StandardCharsets.UTF_8) : "";
    }

    @Test
    void aGuestThatFinishesPowersOffAndReportsItsExitStatus() throws Exception {
        VmHandle vm = provision(spec(userDataExiting(0)));
        assertThat(vm.backend()).isEqualTo(hypervisor.name());
        hypervisor.start(vm);

        assertThat(hypervisor.awaitPowerOff(vm, bootTimeout())).as("guest powered off").isTrue();
        assertThat(ExitMarker.find(console(vm))).hasValue(0);
    }

    @Test
    void aFailingJobsExitStatusReachesTheConsole() throws Exception {
        VmHandle vm = provision(spec(userDataExiting(3)));
        hypervisor.start(vm);

        assertThat(hypervisor.awaitPowerOff(vm, bootTimeout())).isTrue();
        assertThat(ExitMarker.find(console(vm)))
                .as(runsGuestScripts() ? "the user-data's exit status"
                        : "a backend whose guests run nothing (noop) reports success whatever the user-data says")
                .hasValue(runsGuestScripts() ? 3 : 0);
    }

    @Test
    void twoVmsRunAtOnce() throws Exception {
        VmHandle first = provision(spec(userDataExiting(0)));
        VmHandle second = provision(spec(userDataExiting(runsGuestScripts() ? 4 : 0)));
        hypervisor.start(first);
        hypervisor.start(second);

        assertThat(hypervisor.awaitPowerOff(first, bootTimeout())).isTrue();
        assertThat(hypervisor.awaitPowerOff(second, bootTimeout())).isTrue();
        assertThat(ExitMarker.find(console(first))).hasValue(0);
        assertThat(ExitMarker.find(console(second))).hasValue(runsGuestScripts() ? 4 : 0);
    }

    @Test
    void aSecondVmWithTheSameNameIsRefusedAndTheFirstIsUntouched() throws Exception {
        VmSpec spec = spec(userDataExiting(0));
        VmHandle vm = provision(spec);

        assertThatThrownBy(() -> hypervisor.provision(spec))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining(spec.vmName());

        assertThat(hypervisor.listManagedVms(INSTANCE)).contains(vm.name());
        hypervisor.start(vm);
        assertThat(hypervisor.awaitPowerOff(vm, bootTimeout())).isTrue();
    }

    @Test
    void startingAVmThatWasNeverProvisionedFails() throws Exception {
        VmSpec spec = spec(userDataExiting(0));
        VmHandle ghost = VmHandle.of(spec, hypervisor.name());

        assertThatThrownBy(() -> hypervisor.start(ghost))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining(spec.vmName());
    }

    @Test
    void provisioningFromAMissingImageFailsAndLeavesNothing() throws Exception {
        VmSpec spec = spec(userDataExiting(0), stateDir.resolve("no-such-image.qcow2"));
        if (!requiresImage()) {
            // a backend that boots no image (noop) does not need one
            assertThat(provision(spec).name()).isEqualTo(spec.vmName());
            return;
        }

        assertThatThrownBy(() -> hypervisor.provision(spec)).isInstanceOf(HypervisorException.class);

        assertThat(hypervisor.listManagedVms(INSTANCE)).doesNotContain(spec.vmName());
        assertThat(filesIn(spec.jobDir())).as("files left in the job directory").isEmpty();
    }

    @Test
    void managedVmsAreListedPerInstanceUntilCleanedUp() throws Exception {
        VmHandle vm = provision(spec(userDataExiting(0)));

        assertThat(hypervisor.listManagedVms(INSTANCE)).contains(vm.name());
        assertThat(hypervisor.listManagedVms(INSTANCE + "-other")).doesNotContain(vm.name());

        hypervisor.destroy(vm);
        hypervisor.cleanup(vm);
        assertThat(hypervisor.listManagedVms(INSTANCE)).doesNotContain(vm.name());
    }

    @Test
    void aRunningGuestOutlastsAShortWaitAndStopsGracefully() throws Exception {
        VmHandle vm = provision(spec(userDataRunningForever()));
        hypervisor.start(vm);

        assertThat(hypervisor.awaitPowerOff(vm, shortWait())).as("still running after a short wait").isFalse();
        assertThat(hypervisor.stop(vm, bootTimeout())).as("stopped gracefully").isTrue();
        hypervisor.cleanup(vm);

        assertThat(hypervisor.listManagedVms(INSTANCE)).doesNotContain(vm.name());
    }

    @Test
    void destroyAndCleanupAreIdempotentAndKeepTheJobsLogs() throws Exception {
        VmHandle vm = provision(spec(userDataRunningForever()));
        hypervisor.start(vm);
        hypervisor.awaitPowerOff(vm, shortWait());

        hypervisor.destroy(vm);
        hypervisor.destroy(vm);
        hypervisor.cleanup(vm);
        hypervisor.cleanup(vm);

        assertThat(hypervisor.listManagedVms(INSTANCE)).doesNotContain(vm.name());
        assertThat(vm.consoleLog()).exists();
        assertThat(filesIn(vm.jobDir())).as("only the job's logs are kept: the console and, where the backend has"
                + " one, the job channel (the runner reads both after the teardown)")
                .allMatch(p -> p.equals(vm.consoleLog()) || p.equals(vm.channelLog()));
    }

    @Test
    void destroyAndCleanupOfAVmThatNeverExistedSucceed() throws Exception {
        VmSpec spec = spec(userDataExiting(0));
        VmHandle ghost = VmHandle.of(spec, hypervisor.name());

        hypervisor.destroy(ghost);
        hypervisor.cleanup(ghost);

        assertThat(hypervisor.listManagedVms(INSTANCE)).doesNotContain(spec.vmName());
    }

    protected static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
