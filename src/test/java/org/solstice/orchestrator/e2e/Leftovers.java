package org.solstice.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.hypervisor.libvirt.LibvirtTestEnvironment;

/** What a job may leave behind: its libvirt domain and its files. Seen through virsh, as an operator would. */
public final class Leftovers {
    private Leftovers() {
    }

    /** Names of every domain libvirt knows, running or not ({@code virsh list --all --name}). */
    public static Set<String> domains() {
        String out = virsh(List.of("list", "--all", "--name"), true);
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    /** Names of the running domains. */
    public static Set<String> runningDomains() {
        String out = virsh(List.of("list", "--state-running", "--name"), true);
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    /**
     * Asserts that the jobs left no domain and no file under {@code stateDir/jobs}, and that each job's console
     * log was kept in {@code stateDir/logs}.
     */
    /**
     * The result is published before the VM is torn down (the teardown waits for QEMU to exit), so this waits up
     * to 30 s for the teardown to finish, then asserts.
     */
    public static void assertNoneLeft(Path stateDir, Collection<UUID> jobs) {
        await("the teardowns of " + jobs.size() + " jobs to leave no domain and no job file")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> check(stateDir, jobs));
    }

    private static void check(Path stateDir, Collection<UUID> jobs) throws IOException {
        Set<String> domains = domains();
        for (UUID id : jobs) {
            assertThat(domains).as("libvirt domains after job " + id).doesNotContain(VmSpec.vmNameFor(id));
            assertThat(stateDir.resolve("logs").resolve(id + ".log")).as("console log of job " + id).isRegularFile();
        }
        Path jobDirs = stateDir.resolve("jobs");
        List<Path> left = new ArrayList<>();
        if (Files.isDirectory(jobDirs)) {
            try (var walk = Files.walk(jobDirs)) {
                walk.filter(p -> !p.equals(jobDirs)).forEach(left::add);
            }
        }
        assertThat(left).as("files left under " + jobDirs).isEmpty();
    }

    /** Test safety net: destroys and undefines the domains of these jobs, if any are left (errors ignored). */
    public static void removeDomains(Collection<UUID> jobs) {
        Set<String> domains = domains();
        for (UUID id : jobs) {
            String name = VmSpec.vmNameFor(id);
            if (domains.contains(name)) {
                virsh(List.of("destroy", name), false);
                virsh(List.of("undefine", name), false);
            }
        }
    }

    private static String virsh(List<String> args, boolean check) {
        List<String> command = new ArrayList<>(List.of("virsh", "-q", "-c", LibvirtTestEnvironment.URI));
        command.addAll(args);
        Path output = null;
        try {
            output = Files.createTempFile("virsh", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 30 s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (check && p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + String.join(" ", command), e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
