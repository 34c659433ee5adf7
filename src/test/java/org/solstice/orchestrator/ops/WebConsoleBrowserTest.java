package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JdbcJobStore;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.testing.Browser;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.NoopDaemons;
import org.solstice.orchestrator.testing.Postgres;
import org.solstice.orchestrator.testing.KeptLogs;

/**
 * The web console in Debian's Chromium, against a real daemon (noop backend, real broker): live pages without a
 * reload, hostile text shown as text, and no request to any other host. Screenshots in target/console-screenshots.
 */
class WebConsoleBrowserTest {
    private static final String TOKEN = "console-test-token";
    private static final String HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>";

    @TempDir
    Path dir;

    @RegisterExtension
    final NoopDaemons daemons = new NoopDaemons();

    private NoopDaemonHarness harness;
    private Browser browser;
    private String base;
    private DatabaseUrl database;

    @BeforeEach
    void setUp() throws Exception {
        browser = new Browser();
    }

    /** A daemon whose noop jobs run this long, with an admin token and a job store in PostgreSQL. */
    private void start(Duration runTime) throws Exception {
        Path token = dir.resolve("admin-token");
        Files.writeString(token, TOKEN + "\n");
        database = Postgres.freshSchema(); // shared with "another instance" (storeHostileJob)
        harness = daemons.in(dir).maxConcurrency(2).runTime(runTime)
                .databaseUrl(database.jdbcUrl() + "&user=" + database.user())
                .ops(OpsSettings.defaults().withHttpPort(0).withAdminTokenFile(token));
        harness.start();
        base = "http://127.0.0.1:" + harness.daemon().httpPort();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aRunningJobAppearsAndChangesStateWithoutAReload() throws Exception {
        start(Duration.ofMillis(4500));
        var page = browser.driver();
        page.get(base + "/");
        await("the jobs table is filled once").atMost(Duration.ofSeconds(20))
                .until(() -> page.findElement(By.id("count")).getText().contains("of 0 jobs"));
        page.executeScript("window.solsticeNoReload = true;");

        JobRequest job = aJob().build();
        harness.client().publish(job);
        String row = "#jobs tr[data-id='" + job.requestId() + "']";
        await("the job's row showing it running").atMost(Duration.ofSeconds(30))
                .until(() -> browser.attribute(row, "data-state").equals("running"));
        assertThat(browser.text(row)).contains("linux", "ubuntu-22.04", "test-instance",
                "https://code.example.org/acme/widgets.git");
        browser.screenshot("jobs-running");
        await("the job's row showing it finished with success").atMost(Duration.ofSeconds(30))
                .until(() -> browser.attribute(row, "data-state").equals("finished")
                        && browser.text(row).contains("success"));
        assertThat(page.executeScript("return window.solsticeNoReload === true"))
                .as("the same page, never reloaded").isEqualTo(true);

        page.findElement(By.id("filter-state")).sendKeys("running");
        await("the state filter hiding the finished job").atMost(Duration.ofSeconds(10))
                .until(() -> browser.text(row).isEmpty());
        browser.screenshot("jobs-filtered");
    }

    @Test
    void itsLogGrowsOnItsPage() throws Exception {
        start(Duration.ofMillis(4500));
        var page = browser.driver();
        JobRequest job = aJob().build();
        harness.client().publish(job);
        page.get(base + "/job?id=" + job.requestId());
        await("the first second of the run in the log").atMost(Duration.ofSeconds(30))
                .until(() -> browser.text("#log").contains("noop: running for 1 s"));
        assertThat(page.findElement(By.id("job-state")).getText()).isEqualTo("running");
        String early = browser.text("#log");
        await("a later second in the log while it runs").atMost(Duration.ofSeconds(30))
                .until(() -> browser.text("#log").contains("noop: running for 3 s"));
        assertThat(browser.text("#log")).startsWith(early);
        browser.screenshot("job-running");
        await("the job finished and its whole log shown").atMost(Duration.ofSeconds(30))
                .until(() -> page.findElement(By.id("job-state")).getText().equals("finished")
                        && browser.text("#log").contains("SOLSTICE_JOB_EXIT=0"));
        String kept = KeptLogs.await(dir.resolve("state"), job.requestId());
        await("the log on the page equal to the kept log").atMost(Duration.ofSeconds(10))
                .until(() -> browser.text("#log").strip().equals(kept.strip()));
        assertThat(page.findElement(By.id("timeline")).getText())
                .containsPattern("accepted \\d{4}-").containsPattern("provisioning \\d{4}-")
                .containsPattern("running \\d{4}-").containsPattern("finished \\d{4}-");
        assertThat(page.findElement(By.id("request")).getText()).contains(job.commitSha());
        assertThat(page.findElement(By.id("result")).getText()).contains("\"success\": true");
        browser.screenshot("job-finished");

        page.findElement(By.id("console-link")).click();
        await("the raw boot console").atMost(Duration.ofSeconds(10))
                .until(() -> page.findElement(By.tagName("body")).getText().contains("SOLSTICE_JOB_EXIT=0"));
    }

    @Test
    void hostileTextIsShownAsTextAndRunsNothing() throws Exception {
        start(Duration.ofMillis(4500));
        UUID id = storeHostileJob();
        var page = browser.driver();

        page.get(base + "/");
        String row = "#jobs tr[data-id='" + id + "']";
        await("the hostile job listed").atMost(Duration.ofSeconds(20)).until(() -> !browser.text(row).isEmpty());
        assertThat(browser.text(row)).contains(HOSTILE);
        assertNothingRan(page);
        browser.screenshot("jobs-hostile");

        page.get(base + "/job?id=" + id);
        await("its log shown").atMost(Duration.ofSeconds(20))
                .until(() -> browser.text("#log").contains("log says " + HOSTILE));
        await("its summary shown").atMost(Duration.ofSeconds(20))
                .until(() -> page.findElement(By.id("summary")).getText().equals("summary says " + HOSTILE));
        assertThat(page.findElement(By.id("job-facts")).getText()).contains("https://x.example/" + HOSTILE);
        assertThat(page.findElement(By.id("request")).getText()).contains(HOSTILE);
        assertNothingRan(page);
        browser.screenshot("job-hostile");
    }

    @Test
    void thePagesRequestNothingFromAnotherHost() throws Exception {
        start(Duration.ofMillis(4500));
        storeHostileJob();
        JobRequest job = aJob().build();
        harness.client().publish(job);
        assertThat(harness.client().awaitResult(job.requestId(), Duration.ofSeconds(60))).isPresent();
        var page = browser.driver();
        for (String path : List.of("/", "/job?id=" + job.requestId(), "/images", "/host")) {
            page.get(base + path);
            await("the page " + path + " filled").atMost(Duration.ofSeconds(20))
                    .until(() -> page.findElement(By.id("updated")).getText().startsWith("updated"));
        }
        List<String> urls = browser.requestedUrls();
        assertThat(urls).as("requests the pages made").isNotEmpty()
                .contains(base + "/console.js", base + "/console.css", base + "/api/host", base + "/readyz")
                .allSatisfy(u -> assertThat(u).startsWith(base + "/"));
        assertThat(browser.consoleMessages()).as("no errors, no blocked content in the browser console")
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("SEVERE"));
    }

    @Test
    void imagesAndHostPages() throws Exception {
        start(Duration.ofMillis(4500));
        storeHostileJob();
        var page = browser.driver();
        page.get(base + "/images");
        String ubuntu = "#images tr[data-image='ubuntu-22.04']";
        await("the image rows").atMost(Duration.ofSeconds(20)).until(() -> !browser.text(ubuntu).isEmpty());
        assertThat(browser.text(ubuntu)).contains("linux", "missing", "file:///nonexistent/ubuntu.qcow2");
        assertThat(browser.text("#images tr[data-image='illumos']")).containsPattern("illumos\\s+0\\s+2\\s+0");
        browser.screenshot("images");

        page.get(base + "/host");
        await("readiness shown").atMost(Duration.ofSeconds(20))
                .until(() -> page.findElement(By.id("ready")).getText().equals("ready"));
        assertThat(page.findElement(By.id("host-facts")).getText()).contains("test-instance", "noop");
        await("both instances of the store listed").atMost(Duration.ofSeconds(20))
                .until(() -> page.findElement(By.id("instances")).getText().contains("other-host"));
        assertThat(page.findElement(By.id("instances")).getText()).contains("test-instance (this host)");
        browser.screenshot("host");
    }

    @Test
    void anActionIsRefusedWithoutTheTokenAndDoneWithIt() throws Exception {
        start(Duration.ofSeconds(60));
        JobRequest job = aJob().build();
        harness.client().publish(job);
        var page = browser.driver();
        page.get(base + "/job?id=" + job.requestId());
        await("the job running").atMost(Duration.ofSeconds(30))
                .until(() -> browser.text("#job-state").equals("running"));

        page.findElement(By.id("cancel-job")).click();
        await("the confirmation").atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> page.switchTo().alert().getText().contains("Cancel job " + job.requestId()));
        page.switchTo().alert().accept();
        await("the refusal shown").atMost(Duration.ofSeconds(10))
                .until(() -> browser.text("#action-result").startsWith("refused (HTTP 401)"));
        browser.screenshot("job-cancel-refused");
        assertThat(browser.text("#job-state")).isEqualTo("running");

        page.findElement(By.id("admin-token")).sendKeys(TOKEN);
        page.findElement(By.id("cancel-job")).click();
        await("the confirmation").atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> page.switchTo().alert() != null);
        page.switchTo().alert().accept();
        await("the cancellation done").atMost(Duration.ofSeconds(10))
                .until(() -> browser.text("#action-result").startsWith("done: asked job"));
        await("the job finished as cancelled").atMost(Duration.ofSeconds(30))
                .until(() -> browser.text("#job-state").equals("finished")
                        && browser.text("#job-outcome").equals("cancelled"));
        browser.screenshot("job-cancelled");

        page.get(base + "/host");
        await("readiness shown").atMost(Duration.ofSeconds(20))
                .until(() -> page.findElement(By.id("ready")).getText().equals("ready"));
        page.findElement(By.id("drain-host")).click();
        await("the drain's confirmation").atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> page.switchTo().alert().getText().startsWith("Drain this host?"));
        page.switchTo().alert().accept();
        await("the drain's answer shown").atMost(Duration.ofSeconds(10))
                .until(() -> browser.text("#action-result").startsWith("done: draining"));
        await("the host shown drained and not ready").atMost(Duration.ofSeconds(30))
                .until(() -> page.findElement(By.id("host-facts")).getText().contains("drained")
                        && page.findElement(By.id("ready")).getText().contains("drain"));
        browser.screenshot("host-drained");
    }

    /** A finished job of another instance sharing the store with hostile text everywhere. */
    private UUID storeHostileJob() throws Exception {
        UUID id = UUID.randomUUID();
        var json = OpsMessages.MAPPER;
        String request = json.writeValueAsString(json.createObjectNode()
                .put("schema_version", "jobrequest.v1").put("request_id", id.toString())
                .put("repo_url", "https://x.example/" + HOSTILE).put("commit_sha", HOSTILE));
        String result = json.writeValueAsString(json.createObjectNode()
                .put("schema_version", "jobresult.v1").put("request_id", id.toString())
                .put("success", false).put("summary", "summary says " + HOSTILE));
        Instant now = Instant.now();
        try (JdbcJobStore store = JdbcJobStore.open(database)) {
            store.accept(new JobRecord(id, "other-host", "linux", "ubuntu-22.04", request, JobState.ACCEPTED, 1,
                    now, null, null, null, null, false));
            store.finish(id, "failure", result);
            store.resultPublished(id);
        }
        Path logs = dir.resolve("state/logs");
        Files.createDirectories(logs);
        Files.writeString(logs.resolve(id + ".log"), "log says " + HOSTILE + "\n");
        return id;
    }

    private static void assertNothingRan(org.openqa.selenium.chrome.ChromeDriver page) {
        assertThatThrownBy(() -> page.switchTo().alert()).as("no alert opened")
                .isInstanceOf(NoAlertPresentException.class);
        assertThat(page.findElements(By.cssSelector("main img"))).as("no image element made from text").isEmpty();
        assertThat(page.findElements(By.tagName("script"))).as("only console.js").hasSize(1);
    }
}
