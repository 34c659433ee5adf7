package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `logs` prints the job's output, `logs --console` the console kept beside it (or the only log without one). */
class JobLogFileConsoleTest {
    private static final UUID ID = UUID.fromString("5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10");

    @TempDir
    Path state;

    private static String print(JobLogFile file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(file.copyTo(out, false)).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theConsoleKeptBesideTheJobsOutputIsPrintedWithConsole() throws Exception {
        Path logs = Files.createDirectories(state.resolve("logs"));
        Files.writeString(logs.resolve(ID + ".log"), "job output\n");
        Files.writeString(logs.resolve(ID + ".console.log"), "boot lines\n");

        assertThat(print(new JobLogFile(state, ID))).isEqualTo("job output\n");
        assertThat(print(JobLogFile.console(state, ID))).isEqualTo("boot lines\n");
    }

    @Test
    void whileTheJobRunsItsLogIsTheDecodedChannelOnceTheGuestWritesToIt() throws Exception {
        Path jobDir = Files.createDirectories(state.resolve("jobs").resolve(ID.toString()));
        Files.writeString(jobDir.resolve("console.log"), "boot lines\n");
        assertThat(print(new JobLogFile(state, ID))).as("before the channel has data").isEqualTo("boot lines\n");

        Files.writeString(jobDir.resolve("channel.log"), "O job output\nO partial");

        assertThat(print(new JobLogFile(state, ID))).isEqualTo("job output\npartial\n");
        assertThat(print(JobLogFile.console(state, ID))).isEqualTo("boot lines\n");
    }

    @Test
    void withoutTheJobChannelTheConsoleIsTheOnlyLog() throws Exception {
        Path logs = Files.createDirectories(state.resolve("logs"));
        Files.writeString(logs.resolve(ID + ".log"), "boot lines\njob output\n");

        assertThat(print(JobLogFile.console(state, ID))).isEqualTo("boot lines\njob output\n");
    }
}
