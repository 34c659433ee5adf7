package org.solstice.orchestrator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The reader of the bootstrap's exit report: found whatever came before it, never without the job's token. */
class ExitMarkerTest {
    private static final String TOKEN = "00112233445566778899aabb";
    private static final String REPORT = "SOLSTICE_JOB_EXIT=3 " + TOKEN;

    @Test
    void aReportOnALineOfItsOwnCounts() {
        assertThat(ExitMarker.reported("building\n" + REPORT + "\n", TOKEN)).hasValue(3);
    }

    @Test
    void aReportGluedAfterOutputWithoutANewlineCounts() {
        assertThat(ExitMarker.reported("progress 100%" + REPORT + "\n", TOKEN)).hasValue(3);
    }

    @Test
    void aReportAfterACarriageReturnCounts() {
        assertThat(ExitMarker.reported("50%\r100%\r" + REPORT + "\r\n", TOKEN)).hasValue(3);
    }

    @Test
    void aReportAfterAnAnsiSequenceCounts() {
        assertThat(ExitMarker.reported("\u001b[1;32mok\u001b[0m\u001b[?25h" + REPORT + "\n", TOKEN)).hasValue(3);
        assertThat(ExitMarker.reported("unfinished \u001b[" + REPORT + "\n", TOKEN)).as("a cut-off sequence")
                .hasValue(3);
    }

    @Test
    void aReportAfterAPartialUtf8SequenceCounts() {
        byte[] caf = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
        byte[] cut = java.util.Arrays.copyOf(caf, caf.length - 1); // the first byte of é only
        String console = new String(cut, StandardCharsets.UTF_8) + REPORT + "\n";
        assertThat(ExitMarker.reported(console, TOKEN)).hasValue(3);
    }

    @Test
    void aReportAfterOrAmongNulBytesCounts() {
        assertThat(ExitMarker.reported("out\u0000\u0000" + REPORT + "\u0000\n", TOKEN)).hasValue(3);
    }

    @Test
    void aReportWithoutATrailingNewlineCounts() {
        assertThat(ExitMarker.reported("out\n" + REPORT, TOKEN)).hasValue(3);
    }

    @Test
    void aMarkerWithoutTheTokenOrWithAnotherOneDoesNotCount() {
        assertThat(ExitMarker.reported("SOLSTICE_JOB_EXIT=0\n", TOKEN)).isEmpty();
        assertThat(ExitMarker.reported("SOLSTICE_JOB_EXIT=0 ffeeddccbbaa998877665544\n", TOKEN)).isEmpty();
        assertThat(ExitMarker.reported("SOLSTICE_JOB_EXIT=0 " + TOKEN + "ff\n", TOKEN)).as("a longer token")
                .isEmpty();
        assertThat(ExitMarker.reported("SOLSTICE_JOB_EXIT=0 " + TOKEN.substring(0, 20) + "\n", TOKEN))
                .as("a prefix of the token").isEmpty();
    }

    @Test
    void aFakeMarkerBeforeTheReportDoesNotChangeTheStatus() {
        String console = "SOLSTICE_JOB_EXIT=0\nSOLSTICE_JOB_EXIT=0" + REPORT + "\n";
        assertThat(ExitMarker.reported(console, TOKEN)).hasValue(3);
    }

    @Test
    void anUnknownTokenFindsNothingAndAStatusOver255IsNoStatus() {
        assertThat(ExitMarker.reported(REPORT + "\n", null)).isEmpty();
        assertThat(ExitMarker.reported("SOLSTICE_JOB_EXIT=999 " + TOKEN + "\n", TOKEN)).isEmpty();
    }

    @Test
    void findStillReadsAnyMarkerOnALineOfItsOwn() {
        assertThat(ExitMarker.find("x\nSOLSTICE_JOB_EXIT=4\n")).hasValue(4);
        assertThat(ExitMarker.find("x\n" + REPORT + "\n")).hasValue(3);
    }
}
