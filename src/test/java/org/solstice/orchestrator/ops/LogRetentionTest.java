package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRetentionTest {
    @TempDir
    Path state;

    @Test
    void deletesOnlyLogsOlderThanTheRetention() throws Exception {
        Path logs = Files.createDirectories(state.resolve("logs"));
        Path old = Files.writeString(logs.resolve(UUID.randomUUID() + ".log"), "old");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(15))));
        Path recent = Files.writeString(logs.resolve(UUID.randomUUID() + ".log"), "recent");
        Files.setLastModifiedTime(recent, FileTime.from(Instant.now().minus(Duration.ofDays(13))));
        Path other = Files.writeString(logs.resolve("notes.txt"), "not a job log");
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofDays(30))));

        assertThat(new LogRetention(logs, Duration.ofDays(14)).sweep()).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(other).exists();
        assertThat(new LogRetention(state.resolve("missing"), Duration.ofDays(1)).sweep()).isZero();
    }

    @Test
    void logsCommandReadsAKeptLogAndSaysSoWhenThereIsNone() throws Exception {
        UUID id = UUID.randomUUID();
        JobLogFile file = new JobLogFile(state, id);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertThat(file.copyTo(out, false)).isFalse();
        Files.createDirectories(state.resolve("logs"));
        Files.writeString(state.resolve("logs/" + id + ".log"), "line 1\nSOLSTICE_JOB_EXIT=0\n");
        assertThat(file.copyTo(out, true)).isTrue();
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("line 1\nSOLSTICE_JOB_EXIT=0\n");
    }
}
