package org.solstice.orchestrator.hypervisor.zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.solstice.orchestrator.testing.VmSpecs.aVmSpec;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.hypervisor.VmSpec;

class ZonecfgScriptTest {

    @Test
    void valuesAreDoubleQuotedSoSpacesSemicolonsAndHashesStayInsideThem() {
        assertThat(ZonecfgScript.quote("a b; add net #x")).isEqualTo("\"a b; add net #x\"");
        assertThat(ZonecfgScript.blank().attr("solstice-instance", "ci host 1; end").render())
                .isEqualTo("create -b\nadd attr\nset name=\"solstice-instance\"\nset type=string\n"
                        + "set value=\"ci host 1; end\"\nend\ncommit\n");
    }

    @Test
    void valuesZonecfgCannotQuoteAreRefused() {
        assertThatThrownBy(() -> ZonecfgScript.quote("say \"hi\"")).hasMessageContaining("double quote");
        assertThatThrownBy(() -> ZonecfgScript.quote("two\nlines")).hasMessageContaining("line break");
        assertThatThrownBy(() -> ZonecfgScript.quote("cr\r")).hasMessageContaining("line break");
        assertThatThrownBy(() -> ZonecfgScript.quote("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ZonecfgScript.blank().set("zonepath\nadd", "x")).hasMessageContaining("property");
        assertThatThrownBy(() -> ZonecfgScript.blank().attr("x", "evil\"\nadd net"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJobsZoneIsABhyveZoneWithItsDiskSeedVnicAndMarkers() {
        UUID id = UUID.fromString("5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10");
        VmSpec spec = aVmSpec().forJob(id).image("oi", Path.of("/img/oi.raw")).cpus(4).memoryMiB(4096).diskGiB(20)
                .hostname("job-5b0d6b8e").instanceId("ci-1").jobDir(Path.of("/var/lib/solstice/jobs/" + id)).build();
        ZonesConfig config = ZonesConfig.builder("igb0").build();

        String script = ZoneDefinition.forJob(spec, config, "rpool/solstice/jobs/job-" + id,
                Path.of("/dev/zvol/rdsk/rpool/solstice/jobs/job-" + id), "sol5b0d6b8e2f574c3e9a436f1d1f0",
                Path.of("/var/lib/solstice/jobs/" + id + "/seed.iso")).render();

        String jobDir = "/var/lib/solstice/jobs/" + id;
        assertThat(script).isEqualTo("""
                create -b
                set brand="bhyve"
                set zonepath="/zones/solstice/job-%1$s"
                set ip-type="exclusive"
                set autoboot="false"
                add net
                set physical="sol5b0d6b8e2f574c3e9a436f1d1f0"
                end
                add device
                set match="/dev/zvol/rdsk/rpool/solstice/jobs/job-%1$s"
                end
                add attr
                set name="bootdisk"
                set type=string
                set value="rpool/solstice/jobs/job-%1$s"
                end
                add attr
                set name="vcpus"
                set type=string
                set value="4"
                end
                add attr
                set name="ram"
                set type=string
                set value="4096M"
                end
                add fs
                set dir="%2$s/seed.iso"
                set special="%2$s/seed.iso"
                set type=lofs
                add options ro
                add options nodevices
                end
                add attr
                set name="cdrom"
                set type=string
                set value="%2$s/seed.iso"
                end
                add attr
                set name="solstice-instance"
                set type=string
                set value="ci-1"
                end
                add attr
                set name="solstice-request-id"
                set type=string
                set value="%1$s"
                end
                commit
                """.formatted(id, jobDir));
    }

    @Test
    void vnicNamesAreValidDatalinkNames() {
        String name = Vnics.nameFor(UUID.randomUUID());
        assertThat(name).matches("[a-z][a-z0-9]{0,29}[0-9]").hasSizeLessThanOrEqualTo(31);
    }
}
