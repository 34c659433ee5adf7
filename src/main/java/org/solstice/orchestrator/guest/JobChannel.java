package org.solstice.orchestrator.guest;

import java.nio.charset.StandardCharsets;

/**
 * The job's own channel: a virtio-serial port named {@link #NAME} that carries the job's output and its exit
 * report from the guest to the host, apart from the serial console (which keeps the boot messages).
 *
 * <p>Framing: one record per line, UTF-8, each starting with its type and a space:
 * <ul>
 *   <li>{@code O <text>} one line of the job's output (stdout and stderr), without its newline;</li>
 *   <li>{@code X <status> <token>} the exit report, with the job's {@link ExitMarker} token;</li>
 *   <li>{@code J <...>} reserved for the job's delivery from the host to the guest.</li>
 * </ul>
 * An empty line is a separator and means nothing. A record is at most {@link #MAX_RECORD} bytes: the decoder
 * ({@link ChannelDecoder}) cuts a longer one, skips what it cannot read, and its memory stays bounded.
 */
public final class JobChannel {
    /** The virtio-serial port's name, as the guest sees it under /dev/virtio-ports. */
    public static final String NAME = "org.solstice.job.0";
    public static final String GUEST_DEVICE = "/dev/virtio-ports/" + NAME;
    /** Bytes in one record, type and newline included; longer output lines are cut. */
    public static final int MAX_RECORD = 64 * 1024;
    public static final char OUTPUT = 'O';
    public static final char EXIT = 'X';
    public static final char DELIVERY = 'J';

    private JobChannel() {
    }

    /** One output record for a line of text (the line must not hold a newline). */
    public static byte[] output(String line) {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an output record carries one line");
        }
        return (OUTPUT + " " + line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The exit report record; it starts with a newline so it never continues a cut output record. */
    public static byte[] exit(int status, String token) {
        if (!ExitMarker.isToken(token)) {
            throw new IllegalArgumentException("the exit report needs the job's token");
        }
        return ("\n" + EXIT + " " + status + " " + token + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
