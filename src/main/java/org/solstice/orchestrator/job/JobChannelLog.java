package org.solstice.orchestrator.job;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.solstice.orchestrator.guest.ChannelDecoder;

/**
 * Reads what the guest wrote to the job's own channel ({@link org.solstice.orchestrator.guest.JobChannel}): the
 * job's output, its exit report, and the end of its output for the summary.
 */
final class JobChannelLog {
    private JobChannelLog() {
    }

    /**
     * @param used     whether the guest wrote anything to the channel (then it, not the console, is the job's log)
     * @param reported the exit status reported with the job's token
     * @param tail     the last lines of the job's output, for a summary
     * @param problems what could not be read, or ""
     */
    record Reading(boolean used, OptionalInt reported, String tail, String problems) {
        static final Reading UNUSED = new Reading(false, OptionalInt.empty(), "", "");
    }

    static boolean used(Path channel) {
        return channel.toFile().length() > 0;
    }

    /**
     * Decodes the whole channel file.
     *
     * @param token  the job's exit-report token, or null (then no report counts)
     * @param target where to write the job's output, or null
     */
    static Reading read(Path channel, String token, Path target) throws IOException {
        if (!used(channel)) {
            return Reading.UNUSED;
        }
        StringBuilder end = new StringBuilder();
        try (InputStream in = Files.newInputStream(channel);
             Writer out = target == null ? Writer.nullWriter()
                     : new BufferedWriter(Files.newBufferedWriter(target, StandardCharsets.UTF_8))) {
            ChannelDecoder decoder = new ChannelDecoder(token, line -> {
                try {
                    out.write(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                end.append(line);
                if (end.length() > 2 * ConsoleTail.READ_BYTES) {
                    end.delete(0, end.length() - ConsoleTail.READ_BYTES);
                }
            });
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                decoder.feed(buffer, 0, n);
            }
            decoder.finish();
            if (!decoder.problems().isEmpty()) {
                out.write("[solstice: job channel: " + decoder.problems() + "]\n");
            }
            String tail = ConsoleTail.lastLines(end.toString(), JobSummaries.TAIL_LINES, JobSummaries.TAIL_CHARS);
            return new Reading(true, decoder.reported(), tail, decoder.problems());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
