package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.core.metrics.MetricNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real PDF through the stack, then the stack's /metrics: what every function printed as EMF, read as CloudWatch
 * would, holds the document's pages, chunks and embedding tokens and the question's latency; a search and a refused
 * request show up by route and error code.
 */
@ExtendWith(StackSession.class)
class MetricsIT {

    @Test
    void every_function_is_scrapeable_through_the_emf_it_prints() throws Exception {
        StackConfig config = StackSession.ensure();
        Path pdf = config.projectRoot().resolve("shared/core/src/test/resources/pdfs/texlive-latex-base-doc__xspace.pdf");
        Api api = new Api(config, "it-metrics-" + UUID.randomUUID().toString().substring(0, 8));
        String before = scrape(config);
        String id = api.upload("xspace.pdf", pdf);
        JsonNode document = api.awaitTerminal(List.of(id), Duration.ofMinutes(5)).get(id);
        assertThat(document.path("status").asText()).isEqualTo("READY");
        Api.Response answer = api.call("POST", "/v1/query", Api.JSON.createObjectNode().put("question", "What does xspace do?").toString());
        assertThat(answer.status()).isEqualTo(200);

        String after = Await.until("the query's EMF line in /metrics", Duration.ofSeconds(10), () -> scrape(config),
                text -> value(text, MetricNames.QUERY_REQUESTS, "query") > value(before, MetricNames.QUERY_REQUESTS, "query"));

        for (String stage : List.of("extract", "chunk", "embed", "index")) {
            assertThat(value(after, MetricNames.RECORDS_SUCCEEDED, stage) - value(before, MetricNames.RECORDS_SUCCEEDED, stage))
                    .as("%s records succeeded", stage).isPositive();
        }
        // Other tests may share the stack: this document's work is at least what changed.
        assertThat(value(after, MetricNames.PAGES, "extract") - value(before, MetricNames.PAGES, "extract"))
                .isGreaterThanOrEqualTo(document.path("pages").asLong()).isPositive();
        assertThat(value(after, MetricNames.CHUNKS, "index") - value(before, MetricNames.CHUNKS, "index"))
                .isGreaterThanOrEqualTo(document.path("chunks").asLong()).isPositive();
        assertThat(value(after, MetricNames.EMBEDDING_TOKENS, "embed") - value(before, MetricNames.EMBEDDING_TOKENS, "embed"))
                .isGreaterThanOrEqualTo(document.path("cost").path("embeddingTokens").asLong()).isPositive();
        assertThat(value(after, MetricNames.QUERY_LATENCY, "query")).isPositive();
        assertThat(after).contains("quarry_query_phase_search_count{stage=\"query\"}");
    }

    @Test
    void a_search_and_a_refused_request_show_up_by_route_and_error_code() throws Exception {
        StackConfig config = StackSession.ensure();
        Api api = new Api(config, "it-metrics-" + UUID.randomUUID().toString().substring(0, 8));
        String searched = "quarry_api_responses_sum{error=\"none\",route=\"POST /v1/search\",stage=\"query\"}";
        String refused = "quarry_api_client_errors_sum{error=\"invalid_request\",route=\"POST /v1/search\",stage=\"query\"}";
        String clientErrors = "quarry_api_client_errors_sum{stage=\"query\"}";
        String before = scrape(config);

        assertThat(api.call("POST", "/v1/search", Api.JSON.createObjectNode().put("query", "warranty").toString()).status()).isEqualTo(200);
        Api.Response bad = api.call("POST", "/v1/search", Api.JSON.createObjectNode().put("query", "warranty").put("mode", "fuzzy").toString());
        assertThat(bad.status()).isEqualTo(400);

        String after = Await.until("the search's and the 400's EMF lines in /metrics", Duration.ofSeconds(10), () -> scrape(config),
                text -> series(text, refused) > series(before, refused) && series(text, searched) > series(before, searched));
        assertThat(value(after, MetricNames.SEARCH_REQUESTS, "query") - value(before, MetricNames.SEARCH_REQUESTS, "query"))
                .as("searches").isGreaterThanOrEqualTo(1);
        assertThat(value(after, MetricNames.SEARCH_LATENCY, "query")).isPositive();
        assertThat(after).contains("quarry_search_phase_search_count{stage=\"query\"}");
        assertThat(series(after, clientErrors) - series(before, clientErrors)).as("4xx summed over the stage").isGreaterThanOrEqualTo(1);
        assertThat(after).as("no tenant in any label").doesNotContain(api.tenant);
    }

    private static String scrape(StackConfig config) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(config.metricsUrl())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot scrape " + config.metricsUrl(), e);
        }
    }

    /** The value of one series, named with its labels as /metrics prints them, 0 when it has none yet. */
    private static double series(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series + " ") + "(\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The Sum of a metric for a stage, 0 when it has none yet. */
    private static double value(String text, String metric, String stage) {
        Matcher m = Pattern.compile("^" + Pattern.quote(metric.replace('.', '_') + "_sum{stage=\"" + stage + "\"} ") + "(\\S+)$",
                Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
