package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.config.ImageMapLoader;
import org.solstice.orchestrator.images.PreparationOutcome;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.process.CommandResult;
import org.solstice.orchestrator.process.CommandRunner;
import org.solstice.orchestrator.testing.Http;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.NoopDaemons;
import org.yaml.snakeyaml.Yaml;

/**
 * examples/grafana: every metric the dashboard and the alert rules name is one a live daemon exports, the rules
 * are the alerts docs/operations.md lists, and promtool accepts them.
 */
class GrafanaExamplesTest {
    private static final Path DASHBOARD = Path.of("examples/grafana/solstice-orchestrator-dashboard.json");
    private static final Path RULES = Path.of("examples/grafana/solstice-orchestrator-rules.yml");
    private static final Path OPERATIONS = Path.of("docs/operations.md");
    /** The daemon's own metrics and the Prometheus client's JVM and process metrics. */
    private static final Pattern DAEMON_METRIC = Pattern.compile("\\b(?:solstice_orchestrator_|jvm_|process_)\\w+");
    /** Series that come from Prometheus and the blackbox exporter, not from the daemon. */
    private static final Set<String> SCRAPER_METRICS = Set.of("up", "probe_success");

    @TempDir
    Path dir;

    @RegisterExtension
    final NoopDaemons daemons = new NoopDaemons();

    @Test
    void everyMetricTheDashboardAndRulesNameIsExportedByALiveDaemon() throws Exception {
        NoopDaemonHarness harness = daemons.in(dir).ops(OpsSettings.defaults().withHttpPort(0));
        harness.start();
        // one job and one image preparation, so the labelled series exist
        JobRequest job = aJob().build();
        harness.client().publish(job);
        assertThat(harness.client().awaitResult(job.requestId(), Duration.ofSeconds(60))).as("the job's result")
                .isPresent();
        var map = ImageMapLoader.load(harness.imageMap());
        harness.daemon().imageListener().finished(map.images().get("illumos"), new PreparationOutcome(
                PreparationOutcome.Result.PREPARED, 1000, 4096, "ab", Duration.ofMillis(1500), 1, null));
        Set<String> exported = seriesNames(Http.get(harness.daemon().httpPort(), "/metrics").body());

        Set<String> named = new TreeSet<>();
        named.addAll(daemonMetrics(Files.readString(DASHBOARD)));
        named.addAll(daemonMetrics(Files.readString(RULES)));
        assertThat(named).as("metrics the dashboard and rules name").contains(
                "solstice_orchestrator_job_results_total", "solstice_orchestrator_job_start_delay_seconds_bucket",
                "solstice_orchestrator_image_jobs_running", "solstice_orchestrator_broker_reconnects_total");
        assertThat(exported).as("series names in the daemon's /metrics").containsAll(named);
    }

    @Test
    void theDashboardQueriesPrometheusThroughItsDatasourceVariable() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<Integer> ids = new TreeSet<>();
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique: %s", panel.path("id")).isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                    .isEqualTo("${datasource}");
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(expr).as(panel.path("title").asText()).isNotBlank();
                assertThat(otherMetrics(expr)).as("metrics in %s not from the daemon", expr)
                        .isSubsetOf(SCRAPER_METRICS);
                queries++;
            }
        }
        assertThat(queries).isGreaterThan(10);
    }

    @Test
    void theRulesAreTheAlertsOfTheOperationsGuide() throws Exception {
        Map<String, List<String>> rules = alerts(Files.readString(RULES));
        Matcher block = Pattern.compile("(?s)### Alerts worth setting.*?```yaml\n(.*?)```")
                .matcher(Files.readString(OPERATIONS));
        assertThat(block.find()).as("the alerts block of docs/operations.md").isTrue();
        assertThat(rules).as("alert -> [expr, for] in %s", RULES).isEqualTo(alerts(block.group(1)));
    }

    @Test
    void promtoolAcceptsTheRules() {
        CommandRunner runner = new CommandRunner();
        assertThat(runner.run(List.of("sh", "-c", "command -v promtool"), Duration.ofSeconds(10)).exitCode())
                .as("promtool is not installed: apt-get install prometheus (./test.sh does, as root)").isZero();
        CommandResult result = runner.run(List.of("promtool", "check", "rules", RULES.toString()), Duration.ofMinutes(1));
        assertThat(result.exitCode()).as("promtool check rules:\n%s%s", result.stdout(), result.stderr()).isZero();
        assertThat(result.stdout()).contains("SUCCESS: 10 rules found");
    }

    /** Sample names in a text-format scrape (histograms as _bucket, _count and _sum). */
    private static Set<String> seriesNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static Set<String> daemonMetrics(String text) {
        Set<String> names = new TreeSet<>();
        DAEMON_METRIC.matcher(text).results().forEach(m -> names.add(m.group()));
        return names;
    }

    /** Identifiers in a PromQL expression that are neither functions, keywords, label names nor label values. */
    private static Set<String> otherMetrics(String expr) {
        String bare = expr.replaceAll("\"[^\"]*\"", "\"\"")                 // label values
                .replaceAll("\\{[^}]*}", "")                                  // label matchers
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "") // grouping
                .replaceAll("\\[[^]]*]", "");                                 // ranges
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(bare);
        while (m.find()) {
            String name = m.group(1);
            boolean function = m.group(2) != null;
            if (!function && !Set.of("and", "or", "unless", "bool", "offset").contains(name)
                    && !DAEMON_METRIC.matcher(name).matches()) {
                names.add(name);
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> alerts(String yaml) {
        Map<String, Object> document = new Yaml().load(yaml);
        Map<String, List<String>> alerts = new LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                alerts.put((String) rule.get("alert"),
                        List.of(String.valueOf(rule.get("expr")).strip(), String.valueOf(rule.get("for"))));
            }
        }
        return alerts;
    }
}
