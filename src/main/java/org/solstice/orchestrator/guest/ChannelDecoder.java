package org.solstice.orchestrator.guest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link JobChannel} records from the bytes the host side of the channel holds, fed in pieces as they
 * arrive. Memory is bounded by the record size whatever the guest writes: a record longer than the limit is
 * cut (its first bytes are kept as output, the rest is dropped up to the next newline), a line that is no record
 * is skipped, and both are counted ({@link #problems}), so a flood or garbage is a clear failure while the rest
 * of the log is kept. Only an exit report with the job's own token counts.
 */
public final class ChannelDecoder {
    private static final Pattern EXIT = Pattern.compile("(\\d{1,3}) ([0-9a-f]{16,64})");

    /** Where the job's output lines go, each with its newline. */
    public interface Output {
        void line(String text);
    }

    private final String token;
    private final int maxRecord;
    private final Output output;
    private final ByteArrayOutputStream record;
    private boolean dropping;
    private int exitStatus = -1;
    private boolean anyOutput;
    private long cut;
    private long garbage;

    public ChannelDecoder(String token, Output output) {
        this(token, output, JobChannel.MAX_RECORD);
    }

    ChannelDecoder(String token, Output output, int maxRecord) {
        this.token = token;
        this.output = output;
        this.maxRecord = maxRecord;
        this.record = new ByteArrayOutputStream(Math.min(maxRecord, 4096));
    }

    public void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (dropping) {
                    dropping = false;
                } else {
                    record(record.toByteArray());
                }
                record.reset();
            } else if (!dropping) {
                record.write(b);
                if (record.size() >= maxRecord) {
                    cut++;
                    record(record.toByteArray());
                    record.reset();
                    dropping = true;
                }
            }
        }
    }

    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /** The end of the channel: an unfinished last record counts as if it had ended its line. */
    public void finish() {
        if (!dropping && record.size() > 0) {
            record(record.toByteArray());
        }
        record.reset();
        dropping = false;
    }

    private void record(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.length() >= 2 && text.charAt(1) == ' ') {
            String payload = text.substring(2);
            switch (text.charAt(0)) {
                case JobChannel.OUTPUT -> {
                    anyOutput = true;
                    output.line(payload + "\n");
                    return;
                }
                case JobChannel.EXIT -> {
                    Matcher m = EXIT.matcher(payload.strip());
                    if (m.matches() && m.group(2).equals(token) && Integer.parseInt(m.group(1)) <= 255) {
                        exitStatus = Integer.parseInt(m.group(1));
                        return;
                    }
                }
                default -> {
                }
            }
        }
        garbage++;
    }

    /** The status the job reported with its own token, if it has. */
    public OptionalInt reported() {
        return exitStatus < 0 ? OptionalInt.empty() : OptionalInt.of(exitStatus);
    }

    /** Whether the job wrote any output record. */
    public boolean anyOutput() {
        return anyOutput;
    }

    /** What went wrong reading the channel, for the log and the summary; empty when nothing did. */
    public String problems() {
        StringBuilder sb = new StringBuilder();
        if (cut > 0) {
            sb.append(cut).append(" record(s) longer than ").append(maxRecord).append(" bytes cut");
        }
        if (garbage > 0) {
            sb.append(sb.isEmpty() ? "" : "; ").append(garbage).append(" unreadable record(s) skipped");
        }
        return sb.toString();
    }
}
