package org.solstice.orchestrator.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Reads one job's console log: the live one ({@code <state>/jobs/<id>/console.log}) while the job runs, else
 * the kept one ({@code <state>/logs/<id>.log}). Following keeps reading the live file until the runner moves it
 * away at the job's end (the open file is then read to its end: nothing is lost).
 */
public final class JobLogFile {
    private static final long POLL_MS = 200;

    private final Path live;
    private final Path kept;

    public JobLogFile(Path stateDir, UUID id) {
        this.live = stateDir.resolve("jobs").resolve(id.toString()).resolve("console.log");
        this.kept = stateDir.resolve("logs").resolve(id + ".log");
    }

    public boolean exists() {
        return Files.isRegularFile(live) || Files.isRegularFile(kept);
    }

    /**
     * Copies the log to {@code out}. With {@code follow}, waits for a log that does not exist yet and returns
     * only when the job has ended.
     *
     * @return false when there is no log (and not following)
     */
    public boolean copyTo(OutputStream out, boolean follow) throws IOException, InterruptedException {
        FileChannel channel = null;
        boolean fromLive = false;
        while (channel == null) {
            try {
                if (Files.isRegularFile(live)) {
                    channel = FileChannel.open(live, StandardOpenOption.READ);
                    fromLive = true;
                } else if (Files.isRegularFile(kept)) {
                    channel = FileChannel.open(kept, StandardOpenOption.READ);
                }
            } catch (NoSuchFileException raced) {
                continue; // moved between the check and the open: look again
            }
            if (channel == null) {
                if (!follow) {
                    return false;
                }
                Thread.sleep(POLL_MS);
            }
        }
        try (FileChannel ch = channel) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (true) {
                drain(ch, buffer, out);
                if (!follow || !fromLive) {
                    return true;
                }
                if (!Files.exists(live)) {
                    drain(ch, buffer, out); // the job ended: its log was moved; read what was added last
                    return true;
                }
                Thread.sleep(POLL_MS);
            }
        }
    }

    private static void drain(FileChannel ch, ByteBuffer buffer, OutputStream out) throws IOException {
        int n;
        while ((n = ch.read(buffer.clear())) > 0) {
            out.write(buffer.array(), 0, n);
        }
        out.flush();
    }
}
