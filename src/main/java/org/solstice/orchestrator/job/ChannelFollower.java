package org.solstice.orchestrator.job;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.solstice.orchestrator.guest.ChannelDecoder;

/** Follows a running job's channel file as it grows, for the exit report; the output itself is not kept here. */
final class ChannelFollower {
    private final Path channel;
    private final ChannelDecoder decoder;
    private final byte[] buffer = new byte[64 * 1024];
    private long offset;

    ChannelFollower(Path channel, String token) {
        this.channel = channel;
        this.decoder = new ChannelDecoder(token, line -> { });
    }

    /** The exit status the guest reported on its channel so far, reading what was added since the last call. */
    OptionalInt reported() {
        long length = channel.toFile().length();
        if (length > offset) {
            try (RandomAccessFile file = new RandomAccessFile(channel.toFile(), "r")) {
                file.seek(offset);
                int n;
                while ((n = file.read(buffer)) > 0) {
                    decoder.feed(buffer, 0, n);
                    offset += n;
                }
            } catch (IOException e) {
                return decoder.reported(); // not there yet, or gone: the console and the power-off still count
            }
        }
        return decoder.reported();
    }
}
