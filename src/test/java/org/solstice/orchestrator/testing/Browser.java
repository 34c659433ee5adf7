package org.solstice.orchestrator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (nothing is downloaded): a fresh profile per
 * browser, its network requests recorded (the DevTools performance log), screenshots into
 * {@code target/console-screenshots/}. Install both with {@code .ci/services.sh} (apt: chromium chromium-driver).
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final List<String> requested = new ArrayList<>();

    public Browser() throws IOException {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException("the web console's browser tests need Debian's chromium and"
                        + " chromium-driver, but " + p + " is missing: apt-get install chromium chromium-driver"
                        + " (.ci/services.sh installs them)");
            }
        }
        profile = Files.createTempDirectory("solstice-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
                "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--window-size=1400,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    public ChromeDriver driver() {
        return driver;
    }

    /**
     * The text of the first element matching a CSS selector, or "" when there is none; read in one script call,
     * so a table re-rendered by the page's polling cannot go stale under the test.
     */
    public String text(String css) {
        Object text = driver.executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
        return text == null ? "" : text.toString();
    }

    /** An attribute of the first element matching a CSS selector, or "" when there is none. */
    public String attribute(String css, String name) {
        Object value = driver.executeScript("const e = document.querySelector(arguments[0]);"
                + " return e ? e.getAttribute(arguments[1]) : '';", css, name);
        return value == null ? "" : value.toString();
    }

    /**
     * Every URL the pages asked for so far (documents, scripts, styles, fetches, images...), not counting the
     * browser's own start tab (chrome://) before the first page.
     */
    public List<String> requestedUrls() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = JSON.readTree(entry.getMessage()).path("message");
                JsonNode params = message.path("params");
                if ("Network.requestWillBeSent".equals(message.path("method").asText())
                        && !params.path("documentURL").asText().startsWith("chrome://")) { // the start tab
                    requested.add(message.path("params").path("request").path("url").asText());
                }
            } catch (IOException e) {
                throw new IllegalStateException("unreadable performance log entry: " + entry.getMessage(), e);
            }
        }
        return List.copyOf(requested);
    }

    /** The browser console's messages so far (errors such as CSP violations included). */
    public List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    /** Saves the whole page as {@code target/console-screenshots/<name>.png}. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Object height = driver.executeScript("return document.documentElement.scrollHeight");
        int h = Math.min(4000, Math.max(800, ((Number) height).intValue() + 40));
        driver.manage().window().setSize(new Dimension(1400, h));
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
