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
 * Reads one job's log: the live console ({@code <state>/jobs/<id>/console.log}) while the job runs, else
 * the kept log ({@code <state>/logs/<id>.log}: the job's own output when its guest used the job channel, else its
 * console); {@link #console} reads the console only. Following keeps reading the live file until the runner moves it
 * away at the job's end (the open file is then read to its end: nothing is lost).
 */
public final class JobLogFile {
    private static final long POLL_MS = 200;

    private final Path live;
    private final Path kept;

    public JobLogFile(Path stateDir, UUID id) {
        this(stateDir.resolve("jobs").resolve(id.toString()).resolve("console.log"),
                stateDir.resolve("logs").resolve(id + ".log"));
    }

    private JobLogFile(Path live, Path kept) {
        this.live = live;
        this.kept = kept;
    }

    /**
     * The job's console log: live the same file, kept as {@code <state>/logs/<id>.console.log} when the guest wrote
     * the job's output to its job channel (then {@code <id>.log} is that output), else {@code <id>.log}.
     */
    public static JobLogFile console(Path stateDir, UUID id) {
        Path beside = stateDir.resolve("logs").resolve(id + ".console.log");
        return new JobLogFile(stateDir.resolve("jobs").resolve(id.toString()).resolve("console.log"),
                Files.isRegularFile(beside) ? beside : stateDir.resolve("logs").resolve(id + ".log"));
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

    /**
     * Up to {@code max} bytes of the log from {@code offset}, ending on a whole UTF-8 character (the web console
     * follows a log by asking again from {@link Slice#next()}; the live and the kept file hold the same bytes).
     */
    public Slice read(long offset, int max) throws IOException {
        for (int tries = 0; tries < 3; tries++) {
            boolean fromLive = Files.isRegularFile(live);
            Path file = fromLive ? live : kept;
            if (!Files.isRegularFile(file)) {
                return new Slice("", offset, false, false);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long start = Math.max(0, Math.min(offset, ch.size()));
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(max, ch.size() - start));
                while (buffer.hasRemaining() && ch.read(buffer, start + buffer.position()) > 0) {
                    // reads until full or at the end
                }
                int length = wholeCharacters(buffer.array(), buffer.position());
                String text = new String(buffer.array(), 0, length, java.nio.charset.StandardCharsets.UTF_8);
                return new Slice(text, start + length, true, fromLive);
            } catch (NoSuchFileException raced) {
                // moved from live to kept between the check and the open: look again
            }
        }
        return new Slice("", offset, false, false);
    }

    /**
     * @param next   the offset to ask from next time
     * @param exists a log exists (live or kept)
     * @param live   it is the running job's live log (it may grow)
     */
    public record Slice(String text, long next, boolean exists, boolean live) {
    }

    /** The length of {@code bytes[0..length)} without a trailing incomplete UTF-8 sequence. */
    static int wholeCharacters(byte[] bytes, int length) {
        for (int back = 1; back <= Math.min(4, length); back++) {
            int b = bytes[length - back] & 0xff;
            if ((b & 0xc0) == 0x80) {
                continue; // a continuation byte: its lead is further back
            }
            int size = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 1;
            return size > back ? length - back : length;
        }
        return length;
    }

    private static void drain(FileChannel ch, ByteBuffer buffer, OutputStream out) throws IOException {
        int n;
        while ((n = ch.read(buffer.clear())) > 0) {
            out.write(buffer.array(), 0, n);
        }
        out.flush();
    }
}
