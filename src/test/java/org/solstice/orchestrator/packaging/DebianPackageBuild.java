package org.solstice.orchestrator.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.solstice.orchestrator.process.CommandRunner;

/**
 * The .deb that {@code mvn package} builds (jdeb, see pom.xml). The tests run before the package phase, so when
 * target/ holds no package newer than its sources this runs {@code mvn -DskipTests package} to build one.
 */
final class DebianPackageBuild {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final Path TARGET = PROJECT.resolve("target");
    /** What goes into the package: a change to any of these makes a package in target/ stale. */
    private static final List<String> SOURCES = List.of("pom.xml", "README.md", "src/main", "src/deb", "examples", "docs");

    private DebianPackageBuild() {
    }

    static Path deb() {
        Optional<Path> built = newestDeb();
        if (built.isEmpty() || modified(built.get()).compareTo(newestSource()) < 0) {
            new CommandRunner().check(List.of("mvn", "-B", "-q", "-DskipTests", "package"), Duration.ofMinutes(15));
            built = newestDeb();
        }
        return built.orElseThrow(() -> new AssertionError("mvn package built no target/solstice-orchestrator_*.deb"));
    }

    private static Optional<Path> newestDeb() {
        try (Stream<Path> files = Files.list(TARGET)) {
            return files.filter(p -> p.getFileName().toString().matches("solstice-orchestrator_.*_all\\.deb"))
                    .max((a, b) -> modified(a).compareTo(modified(b)));
        } catch (IOException e) {
            return Optional.empty(); // no target/ yet
        }
    }

    private static FileTime newestSource() {
        FileTime newest = FileTime.fromMillis(0);
        for (String source : SOURCES) {
            try (Stream<Path> files = Files.walk(PROJECT.resolve(source))) {
                FileTime time = files.map(DebianPackageBuild::modified).max(FileTime::compareTo).orElse(newest);
                newest = time.compareTo(newest) > 0 ? time : newest;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return newest;
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
