package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shipped logback.xml: readable lines by default, JSON lines with LOG_FORMAT=json; job and label on job lines. */
class LogFormatTest {

    private static String log(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        LogbackMDCAdapter mdc = new LogbackMDCAdapter();
        context.setMDCAdapter(mdc);
        if (format != null) {
            context.putProperty("LOG_FORMAT", format);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            configurator.doConfigure(java.nio.file.Path.of("src/main/resources/logback.xml").toFile());
            org.slf4j.Logger log = context.getLogger("org.solstice.orchestrator.job.JobRunner");
            log.info("daemon line");
            mdc.put("job", "5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10");
            mdc.put("label", "illumos-latest");
            log.info("job line");
            mdc.clear();
        } finally {
            System.setErr(stderr);
            context.stop();
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void textByDefaultWithTheJobAndLabelOnlyOnJobLines() throws Exception {
        String[] lines = log(null).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).matches("\\d{4}-\\d\\d-\\d\\dT\\S+ INFO  \\[.*\\] JobRunner - daemon line");
        assertThat(lines[1]).endsWith(
                "JobRunner [job=5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10 label=illumos-latest] - job line");
    }

    @Test
    void jsonLinesWithLogFormatJson() throws Exception {
        String[] lines = log("json").split("\n");
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode daemon = json.readTree(lines[0]);
        assertThat(daemon.path("level").asText()).isEqualTo("INFO");
        assertThat(daemon.path("formattedMessage").asText()).isEqualTo("daemon line");
        JsonNode job = json.readTree(lines[1]);
        assertThat(job.path("mdc").path("job").asText()).isEqualTo("5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10");
        assertThat(job.path("mdc").path("label").asText()).isEqualTo("illumos-latest");
    }
}
