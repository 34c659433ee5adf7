package org.solstice.orchestrator.hypervisor.zones;

import java.nio.file.Path;
import org.solstice.orchestrator.hypervisor.VmSpec;

/**
 * What a job's bhyve zone is made of, as zonecfg commands (see bhyve(7) on OmniOS/illumos):
 * <ul>
 *   <li>{@code brand=bhyve}, {@code ip-type=exclusive}, {@code autoboot=false}, zonepath {@code <root>/<vmName>};</li>
 *   <li>the job's clone as {@code device match=/dev/zvol/rdsk/<clone>} plus {@code attr bootdisk=<clone>};</li>
 *   <li>{@code attr vcpus}, {@code attr ram} ({@code <MiB>M});</li>
 *   <li>the seed ISO as {@code attr cdrom}, mapped into the zone read-only with an {@code fs} of type lofs
 *       (bhyve(7): a cdrom image must be visible inside the zone);</li>
 *   <li>the job's VNIC as {@code net physical};</li>
 *   <li>the markers {@code attr solstice-instance} and {@code attr solstice-request-id} for the leak reaper.</li>
 * </ul>
 */
final class ZoneDefinition {
    static final String INSTANCE_ATTR = "solstice-instance";
    static final String REQUEST_ID_ATTR = "solstice-request-id";

    private ZoneDefinition() {
    }

    static Path zonepath(ZonesConfig config, String vmName) {
        return config.zonepathRoot().resolve(vmName);
    }

    /**
     * @param bootDataset the job's clone
     * @param bootDevice  its raw device
     * @param seedIso     the NoCloud seed, or null when the image takes none
     */
    static ZonecfgScript forJob(VmSpec spec, ZonesConfig config, String bootDataset, Path bootDevice, String vnic,
            Path seedIso) {
        ZonecfgScript script = ZonecfgScript.blank()
                .set("brand", "bhyve")
                .set("zonepath", zonepath(config, spec.vmName()).toString())
                .set("ip-type", "exclusive")
                .set("autoboot", "false")
                .net(vnic)
                .device(bootDevice.toString())
                .attr("bootdisk", bootDataset)
                .attr("vcpus", String.valueOf(spec.cpus()))
                .attr("ram", spec.memoryMiB() + "M");
        if (seedIso != null) {
            script.readOnlyLofs(seedIso.toString(), seedIso.toString())
                    .attr("cdrom", seedIso.toString());
        }
        return script.attr(INSTANCE_ATTR, spec.instanceId())
                .attr(REQUEST_ID_ATTR, spec.jobId().toString());
    }
}
