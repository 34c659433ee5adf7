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
import org.solstice.orchestrator.guest.ChannelDecoder;
import org.solstice.orchestrator.hypervisor.VmSpec;

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
    /** The running job's channel, printed decoded instead of the console once it has data; null for the console. */
    private final Path liveChannel;

    public JobLogFile(Path stateDir, UUID id) {
        this(stateDir.resolve("jobs").resolve(id.toString()).resolve("console.log"),
                stateDir.resolve("logs").resolve(id + ".log"),
                stateDir.resolve("jobs").resolve(id.toString()).resolve(VmSpec.CHANNEL_LOG));
    }

    private JobLogFile(Path live, Path kept, Path liveChannel) {
        this.live = live;
        this.kept = kept;
        this.liveChannel = liveChannel;
    }

    /**
     * The job's console log: live the same file, kept as {@code <state>/logs/<id>.console.log} when the guest wrote
     * the job's output to its job channel (then {@code <id>.log} is that output), else {@code <id>.log}.
     */
    public static JobLogFile console(Path stateDir, UUID id) {
        Path beside = stateDir.resolve("logs").resolve(id + ".console.log");
        return new JobLogFile(stateDir.resolve("jobs").resolve(id.toString()).resolve("console.log"),
                Files.isRegularFile(beside) ? beside : stateDir.resolve("logs").resolve(id + ".log"), null);
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
        ChannelDecoder decoder = null;
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (true) {
                if (decoder == null && fromLive && liveChannel != null && liveChannel.toFile().length() > 0) {
                    // the guest writes the job's output to its job channel: that, not the console, is the job's log
                    try {
                        FileChannel job = FileChannel.open(liveChannel, StandardOpenOption.READ);
                        channel.close();
                        channel = job;
                        decoder = new ChannelDecoder(null, line -> write(out, line));
                    } catch (NoSuchFileException ended) {
                        // the job ended meanwhile: the console's rest is read below
                    }
                }
                drain(channel, buffer, out, decoder);
                if (!follow || !fromLive) {
                    return finish(decoder, out);
                }
                if (!Files.exists(live)) {
                    drain(channel, buffer, out, decoder); // the job ended: its log was moved; read what was added last
                    return finish(decoder, out);
                }
                Thread.sleep(POLL_MS);
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            channel.close();
        }
    }

    private static boolean finish(ChannelDecoder decoder, OutputStream out) throws IOException {
        if (decoder != null) {
            decoder.finish();
            out.flush();
        }
        return true;
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void drain(FileChannel ch, ByteBuffer buffer, OutputStream out, ChannelDecoder decoder)
            throws IOException {
        if (decoder == null) {
            drain(ch, buffer, out);
            return;
        }
        int n;
        while ((n = ch.read(buffer.clear())) > 0) {
            decoder.feed(buffer.array(), 0, n);
        }
        out.flush();
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
