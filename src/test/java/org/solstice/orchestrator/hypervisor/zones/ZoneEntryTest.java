package org.solstice.orchestrator.hypervisor.zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ZoneEntryTest {

    @Test
    void parsesZoneadmListParsableLines() {
        var entries = ZoneEntry.parseAll("""
                0:global:running:/::ipkg:shared
                7:job-1:running:/zones/solstice/job-1:0f1e-aa:bhyve:excl
                -:job-2:installed:/zones/a\\:b/job-2:1234:bhyve:excl:0
                -:web:configured:/zones/web::lipkg:shared
                """);

        assertThat(entries).extracting(ZoneEntry::name).containsExactly("global", "job-1", "job-2", "web");
        assertThat(entries.get(1)).isEqualTo(new ZoneEntry("7", "job-1", ZoneState.RUNNING, "/zones/solstice/job-1",
                "0f1e-aa", "bhyve"));
        assertThat(entries.get(2).zonepath()).isEqualTo("/zones/a:b/job-2");
        assertThat(entries.get(2).state()).isEqualTo(ZoneState.INSTALLED);
        assertThat(entries.get(3).state()).isEqualTo(ZoneState.CONFIGURED);
    }

    @Test
    void statesSayWhatTeardownNeeds() {
        assertThat(ZoneState.parse("shutting_down").isActive()).isTrue();
        assertThat(ZoneState.parse("installed").isActive()).isFalse();
        assertThat(ZoneState.parse("incomplete").isInstalled()).isTrue();
        assertThat(ZoneState.parse("configured").isInstalled()).isFalse();
        assertThatThrownBy(() -> ZoneEntry.parse("garbage")).isInstanceOf(IllegalArgumentException.class);
    }
}
