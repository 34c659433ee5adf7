package org.solstice.orchestrator.ops;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.guest.ChannelDecoder;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.job.JobOutcome;
import org.solstice.orchestrator.job.JobPolicy;

/**
 * Streams each job's guest console as {@code joblog.v1} messages while it runs: from provisioning on, the
 * console file is tailed (every {@value #POLL_MS} ms) and what was added is published in chunks of at most
 * {@value #CHUNK_BYTES} bytes of UTF-8 text, numbered from 0; when the job ends, the rest of the file (now at
 * its kept place, read through the still open file) goes out and the last chunk carries {@code eof: true}.
 * Once the guest writes to the job's own channel (the channel log beside the console), the stream follows that
 * instead: the job's output, decoded, without the console (what the console had shown until then was sent).
 */
public class JobLogStreamer implements JobListener, AutoCloseable {
    public static final String ROUTING_KEY = OpsMessages.LOG_SCHEMA;
    public static final int CHUNK_BYTES = 16 * 1024;
    static final int POLL_MS = 250;
    private static final Logger log = LoggerFactory.getLogger(JobLogStreamer.class);

    private final EventPublisher events;
    private final JobPolicy policy;
    private final Map<UUID, Tail> tails = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "joblog-tail");
        t.setDaemon(true);
        return t;
    });

    public JobLogStreamer(EventPublisher events, JobPolicy policy) {
        this.events = events;
        this.policy = policy;
        timer.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void provisioning(AcceptedJob job, Path consoleLog) {
        tails.put(job.id(), new Tail(job.id(), consoleLog, policy.jobLog(job.id())));
    }

    @Override
    public void outcome(AcceptedJob job, JobOutcome outcome) {
        Tail tail = tails.get(job.id());
        if (tail != null) {
            tail.finishing = true;
        }
    }

    private synchronized void poll() {
        for (Tail tail : List.copyOf(tails.values())) {
            try {
                if (tail.pump()) {
                    tails.remove(tail.id);
                }
            } catch (RuntimeException e) {
                log.warn("job {}: streaming its console failed: {}", tail.id, e.toString());
                tails.remove(tail.id);
                tail.close();
            }
        }
    }

    /** Sends what the files still hold, then stops. */
    @Override
    public void close() {
        timer.shutdownNow();
        tails.values().forEach(t -> t.finishing = true);
        poll();
    }

    private final class Tail {
        final UUID id;
        final Path live;
        final Path kept;
        final ConsoleText text = new ConsoleText();
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        final Path jobChannelLog;
        volatile boolean finishing;
        FileChannel channel;
        ChannelDecoder decoder;
        final StringBuilder decoded = new StringBuilder();
        long seq;

        Tail(UUID id, Path live, Path kept) {
            this.id = id;
            this.live = live;
            this.kept = kept;
            this.jobChannelLog = live.resolveSibling(VmSpec.CHANNEL_LOG);
        }

        /** @return true when the job's log is complete and sent */
        boolean pump() {
            boolean last = finishing;
            StringBuilder out = new StringBuilder();
            if (decoder == null && jobChannelLog.toFile().length() > 0) {
                FileChannel job = open(jobChannelLog);
                if (job != null) {
                    // from now on the job's own output: the console's rest is not the job's
                    close();
                    channel = job;
                    decoder = new ChannelDecoder(null, decoded::append);
                }
            }
            if (channel == null) {
                channel = open(live);
                if (channel == null && last) {
                    channel = open(kept);
                }
            }
            if (channel != null) {
                try {
                    int n;
                    while ((n = channel.read(buffer.clear())) > 0) {
                        if (decoder != null) {
                            decoder.feed(buffer.array(), 0, n);
                            if (decoded.length() >= 4 * CHUNK_BYTES && !last) {
                                break;
                            }
                        } else {
                            out.append(text.feed(buffer.array(), n));
                        }
                        if (out.length() >= 4 * CHUNK_BYTES && !last) {
                            break; // the rest next time: keep the event queue short
                        }
                    }
                } catch (IOException e) {
                    log.debug("job {}: reading its console: {}", id, e.getMessage());
                }
            }
            if (last) {
                if (decoder != null) {
                    decoder.finish();
                } else {
                    out.append(text.finish());
                }
            }
            out.append(decoded);
            decoded.setLength(0);
            List<String> chunks = ConsoleText.chunks(out.toString(), CHUNK_BYTES);
            for (int i = 0; i < chunks.size(); i++) {
                send(chunks.get(i), last && i == chunks.size() - 1);
            }
            if (last) {
                if (chunks.isEmpty()) {
                    send("", true);
                }
                close();
            }
            return last;
        }

        private void send(String chunk, boolean eof) {
            events.publish(ROUTING_KEY, id.toString(), OpsMessages.log(id, seq++, chunk, eof, Instant.now()));
        }

        private FileChannel open(Path path) {
            if (!Files.isRegularFile(path)) {
                return null;
            }
            try {
                return FileChannel.open(path, StandardOpenOption.READ);
            } catch (IOException e) {
                return null;
            }
        }

        void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }
}
