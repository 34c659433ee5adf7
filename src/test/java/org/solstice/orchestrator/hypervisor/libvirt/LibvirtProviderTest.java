package org.solstice.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.hypervisor.BackendCapabilities;
import org.solstice.orchestrator.hypervisor.BackendOptions;

class LibvirtProviderTest {
    private final LibvirtProvider provider = new LibvirtProvider();

    @Test
    void itBootsGuestsAndRanksBetweenZonesAndNoop() {
        assertThat(provider.name()).isEqualTo("libvirt");
        assertThat(provider.capabilities()).isEqualTo(BackendCapabilities.VIRTUAL_MACHINES);
        assertThat(provider.priority()).isBetween(1, 199);
    }

    @Test
    void itDoesNotApplyWhenLibvirtDoesNotAnswerItsUri() {
        BackendOptions nowhere = BackendOptions.none()
                .with("libvirt", LibvirtProvider.URI, "qemu+unix:///system?socket=/nonexistent/libvirt-sock");

        long t0 = System.nanoTime();
        assertThat(provider.isApplicable(nowhere)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the probe's bound").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void unsetSettingsTakeTheDefaultsItShowsAndTheOperatorsWin() {
        LibvirtConfig defaults = provider.config(BackendOptions.none());
        LibvirtConfig set = provider.config(BackendOptions.none()
                .with("libvirt", LibvirtProvider.URI, "test:///default")
                .with("libvirt", LibvirtProvider.NETWORK, "solstice-test")
                .with("libvirt", LibvirtProvider.DOMAIN_TYPE, "qemu"));

        assertThat(provider.defaults()).containsEntry(LibvirtProvider.URI, defaults.uri())
                .containsEntry(LibvirtProvider.NETWORK, defaults.network());
        assertThat(defaults.domainType()).isNull();
        assertThat(set.uri()).isEqualTo("test:///default");
        assertThat(set.network()).isEqualTo("solstice-test");
        assertThat(set.domainType()).isEqualTo("qemu");
    }
}
