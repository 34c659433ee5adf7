package org.solstice.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code orchestrator status}: a running daemon's capacity and recent jobs, from its HTTP API, as tables. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show a running daemon's capacity and recent jobs (from its /api/capacity and /api/jobs).")
public class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:ORCH_URL:-http://127.0.0.1:9464}",
            description = "The daemon's HTTP listener (env ORCH_URL; default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Jobs to show (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode capacity;
        JsonNode jobs;
        try {
            capacity = get(http, "/api/capacity");
            jobs = get(http, "/api/jobs?limit=" + limit);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: cannot read " + url + ": " + e.getMessage()
                    + " (is the daemon running with its HTTP listener on? see --http-port)");
            return 1;
        }
        JsonNode g = capacity.path("global");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"IMAGE", "ALIASES", "IN USE", "LIMIT", "WAITING"});
        rows.add(new String[] {"(all)", "", g.path("in_use").asText(), g.path("limit").asText(),
            g.path("waiting").asText()});
        for (JsonNode l : capacity.path("labels")) {
            List<String> aliases = new ArrayList<>();
            l.path("aliases").forEach(a -> aliases.add(a.asText()));
            rows.add(new String[] {l.path("image").asText(), String.join(",", aliases), l.path("in_use").asText(),
                l.path("limit").asText(), l.path("waiting").asText()});
        }
        TextTable.print(out, rows);
        out.println();
        rows = new ArrayList<>();
        rows.add(new String[] {"REQUEST_ID", "STATE", "LABEL", "ACCEPTED", "FINISHED", "OUTCOME"});
        for (JsonNode j : jobs.path("jobs")) {
            rows.add(new String[] {j.path("request_id").asText(), j.path("state").asText(), j.path("label").asText(),
                text(j, "accepted_at"), text(j, "finished_at"), text(j, "outcome")});
        }
        TextTable.print(out, rows);
        out.flush();
        return 0;
    }

    private JsonNode get(HttpClient http, String path) throws IOException, InterruptedException {
        URI uri = URI.create(url.toString().replaceAll("/+$", "") + path);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        return new ObjectMapper().readTree(response.body());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? "-" : v.asText();
    }
}
