package org.solstice.orchestrator.hypervisor.zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.hypervisor.BackendCapabilities;
import org.solstice.orchestrator.hypervisor.BackendOptions;
import org.solstice.orchestrator.hypervisor.HypervisorException;

class ZonesProviderTest {
    private final ZonesProvider provider = new ZonesProvider();

    @Test
    void itAppliesOnIllumosOnlyAndBootsGuests() {
        boolean illumos = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("sunos");

        assertThat(provider.name()).isEqualTo("zones");
        assertThat(provider.isApplicable(BackendOptions.none())).isEqualTo(illumos);
        assertThat(provider.capabilities()).isEqualTo(BackendCapabilities.VIRTUAL_MACHINES);
    }

    @Test
    void unsetSettingsTakeTheDefaultsItShows() {
        ZonesConfig config = provider.config(BackendOptions.none().with("zones", ZonesProvider.LINK, "igb0"));

        assertThat(config.physicalLink()).isEqualTo("igb0");
        assertThat(provider.defaults()).containsEntry(ZonesProvider.IMAGES_DATASET, config.imagesDataset())
                .containsEntry(ZonesProvider.JOBS_DATASET, config.jobsDataset())
                .containsEntry(ZonesProvider.ROOT, config.zonepathRoot().toString())
                .doesNotContainKey(ZonesProvider.LINK);
    }

    @Test
    void theOperatorsSettingsWin() {
        ZonesConfig config = provider.config(BackendOptions.none()
                .with("zones", ZonesProvider.LINK, "vioif0")
                .with("zones", ZonesProvider.IMAGES_DATASET, "tank/images")
                .with("zones", ZonesProvider.JOBS_DATASET, "tank/jobs")
                .with("zones", ZonesProvider.ROOT, Path.of("/tank/zones")));

        assertThat(config.physicalLink()).isEqualTo("vioif0");
        assertThat(config.imagesDataset()).isEqualTo("tank/images");
        assertThat(config.jobsDataset()).isEqualTo("tank/jobs");
        assertThat(config.zonepathRoot()).isEqualTo(Path.of("/tank/zones"));
    }

    @Test
    void withoutALinkItNamesTheOptionToSet() {
        assertThatThrownBy(() -> provider.create(BackendOptions.none()))
                .isInstanceOf(HypervisorException.class)
                .hasMessageStartingWith("--zones-link: the zones backend needs the physical link")
                .hasMessageContaining("ZONES_LINK");
    }
}
