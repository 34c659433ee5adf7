package org.solstice.orchestrator.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleTailTest {
    private static final String TOKEN = "00112233445566778899aabb";

    @Test
    void outputGluedBeforeTheReportStaysAndTheReportGoes() {
        String console = "step 1\n\u001b[32mprogress 100%\u001b[0mSOLSTICE_JOB_EXIT=0 " + TOKEN + "\r\n";

        assertThat(ConsoleTail.lastLines(console, 20, 2000)).isEqualTo("step 1\nprogress 100%");
    }

    @Test
    void markerLinesOfTheirOwnAreLeftOut() {
        assertThat(ConsoleTail.lastLines("a\nSOLSTICE_JOB_EXIT=3\n\nSOLSTICE_JOB_EXIT=0 " + TOKEN + "\n", 20, 2000))
                .isEqualTo("a");
    }
}
