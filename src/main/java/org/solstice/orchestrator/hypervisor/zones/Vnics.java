package org.solstice.orchestrator.hypervisor.zones;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One VNIC per job over the configured physical link, created with {@code dladm create-vnic -t} (temporary:
 * a host reboot removes it) and handed to the exclusive-IP zone as its {@code net} resource.
 */
final class Vnics {
    private final HostCommands commands;
    private final ZonesConfig config;

    Vnics(HostCommands commands, ZonesConfig config) {
        this.commands = commands;
        this.config = config;
    }

    /**
     * The job's VNIC name: datalink names are at most 31 characters, start with a letter and end with a digit,
     * so the job id is shortened to its first 26 hex digits (104 bits) between {@code sol} and {@code 0}.
     */
    static String nameFor(UUID jobId) {
        String hex = jobId.toString().replace("-", "").toLowerCase(Locale.ROOT);
        return "sol" + hex.substring(0, 26) + "0";
    }

    boolean linkExists(String link) {
        return commands.run("looking up datalink " + link,
                List.of(config.dladm(), "show-link", "-p", "-o", "link", link)).succeeded();
    }

    void create(String vnic) {
        commands.check("creating VNIC " + vnic + " over " + config.physicalLink(),
                List.of(config.dladm(), "create-vnic", "-t", "-l", config.physicalLink(), vnic));
    }

    /** Deletes the VNIC; one that is already gone is fine. */
    void delete(String vnic) {
        boolean exists = commands.run("looking up VNIC " + vnic,
                List.of(config.dladm(), "show-vnic", "-p", "-o", "link", vnic)).succeeded();
        if (exists) {
            commands.check("deleting VNIC " + vnic, List.of(config.dladm(), "delete-vnic", vnic));
        }
    }
}
