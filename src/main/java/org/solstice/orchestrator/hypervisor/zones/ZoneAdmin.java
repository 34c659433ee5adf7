package org.solstice.orchestrator.hypervisor.zones;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.process.CommandResult;

/** zoneadm and zonecfg, one method per subcommand the backend uses. */
final class ZoneAdmin {
    private final HostCommands commands;
    private final ZonesConfig config;

    ZoneAdmin(HostCommands commands, ZonesConfig config) {
        this.commands = commands;
        this.config = config;
    }

    /** {@code zoneadm -z NAME list -p}; {@link ZoneState#ABSENT} when no such zone is configured. */
    ZoneState state(String zone) {
        CommandResult result = commands.run("reading the state of zone " + zone,
                List.of(config.zoneadm(), "-z", zone, "list", "-p"));
        if (!result.succeeded()) {
            if (result.stderr().contains("No such zone configured")) {
                return ZoneState.ABSENT;
            }
            throw HostCommands.failure("reading the state of zone " + zone, result);
        }
        return ZoneEntry.parse(result.stdout().strip()).state();
    }

    /** {@code zoneadm list -cp}: every configured zone, running or not, the global zone included. */
    List<ZoneEntry> listAll() {
        return ZoneEntry.parseAll(commands.check("listing zones", List.of(config.zoneadm(), "list", "-cp")).stdout());
    }

    void configure(String zone, Path commandFile) {
        commands.check("configuring zone " + zone, List.of(config.zonecfg(), "-z", zone, "-f", commandFile.toString()));
    }

    void install(String zone) {
        commands.check("installing zone " + zone, List.of(config.zoneadm(), "-z", zone, "install"));
    }

    void boot(String zone) {
        commands.check("booting zone " + zone, List.of(config.zoneadm(), "-z", zone, "boot"));
    }

    /** Asks the guest to power off; returns whether zoneadm accepted the request within {@code limit}. */
    CommandResult shutdown(String zone, Duration limit) {
        return commands.run("shutting down zone " + zone, List.of(config.zoneadm(), "-z", zone, "shutdown"), limit,
                null);
    }

    void halt(String zone) {
        commands.check("halting zone " + zone, List.of(config.zoneadm(), "-z", zone, "halt"));
    }

    void uninstall(String zone) {
        commands.check("uninstalling zone " + zone, List.of(config.zoneadm(), "-z", zone, "uninstall", "-F"));
    }

    void delete(String zone) {
        commands.check("deleting the configuration of zone " + zone,
                List.of(config.zonecfg(), "-z", zone, "delete", "-F"));
    }

    /**
     * The value of the zone's {@code attr} resource named {@code attrName} ({@code zonecfg -z NAME info attr
     * name=ATTR}), or null when the zone has none or has gone meanwhile.
     */
    String attr(String zone, String attrName) {
        CommandResult result = commands.run("reading attribute " + attrName + " of zone " + zone,
                List.of(config.zonecfg(), "-z", zone, "info", "attr", "name=" + attrName));
        if (!result.succeeded()) {
            return null;
        }
        for (String line : result.stdout().split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("value: ")) {
                return trimmed.substring("value: ".length());
            }
        }
        return null;
    }

    /** Fails unless the zone exists, naming it. */
    ZoneState existing(String zone) {
        ZoneState state = state(zone);
        if (state == ZoneState.ABSENT) {
            throw new HypervisorException("zone " + zone + " does not exist");
        }
        return state;
    }
}
