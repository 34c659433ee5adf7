package org.solstice.orchestrator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The job channel's framing: output and the exit report read back, garbage and floods survived with bounded memory. */
class ChannelDecoderTest {
    private static final String TOKEN = "00112233445566778899aabb";

    private final StringBuilder log = new StringBuilder();

    private ChannelDecoder decoder(int max) {
        return new ChannelDecoder(TOKEN, log::append, max);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void outputAndTheExitReportAreReadBack() {
        ChannelDecoder d = new ChannelDecoder(TOKEN, log::append);
        d.feed(JobChannel.output("building"));
        d.feed(JobChannel.output(""));
        d.feed(JobChannel.output("caf\u00e9 done"));
        d.feed(JobChannel.exit(3, TOKEN));
        d.finish();

        assertThat(log).hasToString("building\n\ncaf\u00e9 done\n");
        assertThat(d.reported()).hasValue(3);
        assertThat(d.anyOutput()).isTrue();
        assertThat(d.problems()).isEmpty();
    }

    @Test
    void recordsSplitAcrossFeedsAreJoined() {
        ChannelDecoder d = decoder(1024);
        byte[] all = bytes("O one\nO tw\u00e9\n\nX 0 " + TOKEN + "\n");
        for (byte b : all) {
            d.feed(new byte[] {b});
        }
        assertThat(log).hasToString("one\ntw\u00e9\n");
        assertThat(d.reported()).hasValue(0);
    }

    @Test
    void anUnfinishedLastOutputRecordIsKeptAtTheEnd() {
        ChannelDecoder d = decoder(1024);
        d.feed(bytes("O progress 100%"));
        assertThat(log).isEmpty();
        d.finish();
        assertThat(log).hasToString("progress 100%\n");
        assertThat(d.reported()).isEmpty();
    }

    @Test
    void aReportWithoutTheJobsTokenOrWithABadStatusDoesNotCount() {
        ChannelDecoder d = decoder(1024);
        d.feed(bytes("X 0 ffffffffffffffffffffffff\nX 256 " + TOKEN + "\nX 0\n"));
        d.finish();
        assertThat(d.reported()).isEmpty();
        assertThat(d.problems()).isEqualTo("3 unreadable record(s) skipped");
    }

    @Test
    void outputThatLooksLikeAReportIsOutput() {
        ChannelDecoder d = decoder(1024);
        d.feed(JobChannel.output("X 0 " + TOKEN));
        d.finish();
        assertThat(d.reported()).isEmpty();
        assertThat(log).hasToString("X 0 " + TOKEN + "\n");
    }

    @Test
    void garbageIsSkippedAndCountedAndTheRestIsKept() {
        ChannelDecoder d = decoder(1024);
        d.feed(bytes("\u0000\u0000\u00ff junk\nO kept\nQ what\nOx\n"));
        d.feed(new byte[] {(byte) 0xc3, '\n'});
        d.feed(JobChannel.exit(1, TOKEN));
        d.finish();
        assertThat(log).hasToString("kept\n");
        assertThat(d.reported()).hasValue(1);
        assertThat(d.problems()).isEqualTo("4 unreadable record(s) skipped");
    }

    @Test
    void aFloodWithoutNewlinesIsCutWithBoundedMemoryAndTheReportAfterItCounts() {
        ChannelDecoder d = decoder(64);
        byte[] chunk = new byte[4096];
        Arrays.fill(chunk, (byte) 'a');
        d.feed(bytes("O "));
        for (int i = 0; i < 1024; i++) { // 4 MiB on one line
            d.feed(chunk);
        }
        d.feed(bytes("\nO after\n"));
        d.feed(JobChannel.exit(0, TOKEN));
        d.finish();

        assertThat(log.toString().lines()).containsExactly("a".repeat(62), "after");
        assertThat(d.reported()).hasValue(0);
        assertThat(d.problems()).isEqualTo("1 record(s) longer than 64 bytes cut");
    }

    @Test
    void theRecordBuildersRefuseWhatTheyCannotFrame() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobChannel.output("two\nlines"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobChannel.exit(0, "nottoken"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
