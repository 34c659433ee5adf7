package org.solstice.orchestrator.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.solstice.orchestrator.process.CommandResult;
import org.solstice.orchestrator.process.CommandRunner;

/**
 * Runs a rendered bootstrap with /bin/sh on the host, made harmless there: the console redirect points at a
 * file, poweroff is a fake on PATH that records its call, and (when asked) the passwd lookup of the job's user
 * answers with a given entry, so HOME is a test directory and not the host's.
 */
public final class HostBootstrap {
    public static final String TTY_LOOP = "for solstice_tty in /dev/ttyS0 /dev/console; do";

    private final Path dir;
    private final Path out;
    private final Path bin;

    /** Uses {@code dir} for the script, {@code dir/bin} (the fake poweroff) and {@code dir/out} (what it wrote). */
    public HostBootstrap(Path dir) throws IOException {
        this.dir = dir;
        this.out = Files.createDirectories(dir.resolve("out"));
        this.bin = Files.createDirectories(dir.resolve("bin"));
        Path poweroff = bin.resolve("poweroff");
        Files.writeString(poweroff, "#!/bin/sh\necho \"$@\" > \"$OUT/poweroff-called\"\n");
        Files.setPosixFilePermissions(poweroff, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A passwd entry for the user running the tests, with this HOME and shell. */
    public static String entryForThisUser(String name, Path home, String shell) {
        return name + ":x:" + id("-u") + ":" + id("-g") + ":" + name + ":" + home + ":" + shell;
    }

    /**
     * @param passwdEntry the passwd entry the job's user lookup returns, or null to look the user up on the host
     */
    public CommandResult run(String script, String passwdEntry) throws IOException {
        return run(script, passwdEntry, null);
    }

    /**
     * @param channel a file that stands for the job channel's device, or null for a guest without one
     */
    public CommandResult run(String script, String passwdEntry, Path channel) throws IOException {
        String neutral = script.replace(TTY_LOOP, "for solstice_tty in " + dir.resolve("no-tty") + "; do");
        neutral = neutral.replace(BootstrapScript.CHANNEL_LOOKUP,
                "solstice_channel=" + (channel == null ? "" : ShellQuote.quote(channel.toString())));
        if (passwdEntry != null) {
            neutral = neutral.replace(JobEnvironment.LOOKUP, "solstice_entry=" + ShellQuote.quote(passwdEntry));
        }
        Path file = dir.resolve("user-data");
        Files.writeString(file, neutral, StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("OUT", out.toString());
        return new CommandRunner(env).run(List.of("/bin/sh", file.toString()), Duration.ofSeconds(30), dir);
    }

    public Path out() {
        return out;
    }

    private static String id(String flag) {
        return new CommandRunner().check(List.of("id", flag), Duration.ofSeconds(10)).stdout().strip();
    }
}
