package org.solstice.orchestrator.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.messaging.JobRequest;

/** The rendered bootstrap, read as text. */
class BootstrapScriptTest {
    private static final String TOKEN = "00112233445566778899aabb";
    private final JobRequest job = aJob().build();

    @Test
    void theExitReportStartsOnALineOfItsOwnAfterTheJob() {
        String script = BootstrapScript.render(job, "label", "printf 'progress 100%%'\n", TOKEN);

        assertThat(script).containsSubsequence("printf 'progress 100%%'\nSOLSTICE_JOB_BODY_END\n", "solstice_status=$?\n",
                "echo\necho \"SOLSTICE_JOB_EXIT=$solstice_status " + TOKEN + "\"\n", "poweroff");
    }

    @Test
    void theTokenCanBeReadBackFromTheScript() {
        assertThat(BootstrapScript.token(BootstrapScript.render(job, "label", null, TOKEN))).hasValue(TOKEN);
        assertThat(BootstrapScript.token(BootstrapScript.render(job, "label", null))).isEmpty();
        assertThat(BootstrapScript.token(null)).isEmpty();
    }
}
