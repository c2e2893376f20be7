package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.port.Embedder;
import dev.quarry.model.DocumentRecord;
import dev.quarry.testsupport.InMemoryChunkIndex;
import dev.quarry.testsupport.InMemoryQueryHistory;
import dev.quarry.testsupport.InMemoryStatusStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a client sends, the answer is a 4xx (or a 2xx), never a 5xx, and always JSON. */
@QuarkusTest
class HostileInputTest {
    @Inject
    InMemoryChunkIndex index;
    @Inject
    InMemoryStatusStore statuses;
    @Inject
    InMemoryQueryHistory history;
    @Inject
    Embedder embedder;

    @BeforeEach
    void empty() {
        index.clear();
        statuses.clear();
        history.clear();
    }
    private static final String ID = "0123456789abcdef01234567";

    private static final List<String> BODIES = List.of(
            "", " ", "null", "[]", "[1,2]", "\"text\"", "123", "true", "{", "}", "{\"query\":", "{,}", "{'query':'x'}",
            "{\"query\":null,\"question\":null,\"name\":null}",
            "{\"query\":123,\"question\":123,\"name\":123}",
            "{\"query\":[\"a\"],\"question\":[\"a\"],\"name\":[\"a\"]}",
            "{\"query\":{\"a\":1},\"question\":{\"a\":1},\"name\":{\"a\":1}}",
            "{\"query\":\"x\",\"question\":\"x\",\"topK\":99999999999999999999}",
            "{\"query\":\"x\",\"question\":\"x\",\"topK\":-1}",
            "{\"query\":\"x\",\"question\":\"x\",\"topK\":1.5}",
            "{\"query\":\"x\",\"question\":\"x\",\"topK\":1e400}",
            "{\"query\":\"x\",\"question\":\"x\",\"topK\":\"5\"}",
            "{\"query\":\"x\",\"question\":\"x\",\"topK\":null}",
            "{\"query\":\"x\",\"question\":\"x\",\"filters\":\"x\"}",
            "{\"query\":\"x\",\"question\":\"x\",\"filters\":[]}",
            "{\"query\":\"x\",\"question\":\"x\",\"filters\":{\"documentIds\":\"" + ID + "\"}}",
            "{\"query\":\"x\",\"question\":\"x\",\"filters\":{\"documentIds\":[1,2]}}",
            "{\"query\":\"x\",\"question\":\"x\",\"filters\":{\"documentIds\":[{}]}}",
            "{\"query\":\"x\",\"question\":\"x\",\"filters\":{\"documentIds\":[" + ("\"" + ID + "\",").repeat(100) + "\"" + ID + "\"]}}",
            "{\"query\":\"x\",\"question\":\"x\",\"filters\":{\"documentIds\":[]}}",
            "{\"query\":\"x\",\"mode\":123}",
            "{\"query\":\"x\",\"mode\":\"\"}",
            "{\"query\":\"x\",\"mode\":\"HYBRID\\u0000\"}",
            "{\"question\":\"x\",\"conversationId\":\"" + "c".repeat(101) + "\"}",
            "{\"question\":\"x\",\"conversationId\":42}",
            "{\"query\":\"\\ud800\",\"question\":\"\\ud800\",\"name\":\"\\ud800.pdf\"}",
            "{\"query\":\"\\u0000\",\"question\":\"\\u0000\",\"name\":\"\\u0000.pdf\"}",
            "{\"query\":\"😀\",\"question\":\"😀\",\"name\":\"😀.pdf\"}",
            "{\"query\":\"" + "x".repeat(100_000) + "\",\"question\":\"" + "x".repeat(100_000) + "\"}",
            "{\"query\":\"" + "word ".repeat(399) + "\",\"question\":\"" + "word ".repeat(399) + "\"}",
            "{\"query\":\"" + "😀".repeat(1000) + "\",\"question\":\"" + "😀".repeat(1000) + "\"}",
            "{\"query\":\"" + "漢".repeat(2000) + "\",\"question\":\"" + "漢".repeat(2000) + "\"}",
            "{\"query\":\"" + "!?".repeat(1000) + "\",\"question\":\"" + "!?".repeat(1000) + "\"}",
            "{\"query\":\"the of and\",\"question\":\"the of and\"}",
            "{\"name\":\"" + "a".repeat(300) + ".pdf\"}",
            "{\"name\":\".pdf\"}",
            "{\"name\":\"..\\\\x.pdf\"}",
            "{\"name\":\"report.PDF\"}",
            "{\"name\":\"line\\nbreak.pdf\"}",
            "{\"query\":\"x\",\"question\":\"x\",\"name\":\"x.pdf\",\"unknown\":{\"deep\":[1,2,3]}}",
            "[".repeat(5000) + "]".repeat(5000),
            "{\"a\":".repeat(3000) + "1" + "}".repeat(3000));

    private static final List<String> POST_ROUTES = List.of("/v1/search", "/v1/query", "/v1/documents");

    private static final List<String[]> ROUTES = List.of(
            new String[]{"PUT", "/v1/search"}, new String[]{"GET", "/v1/query"}, new String[]{"DELETE", "/v1/documents"},
            new String[]{"PATCH", "/v1/documents/" + ID}, new String[]{"POST", "/v1/health"},
            new String[]{"GET", "/v1/documents/" + "a".repeat(5000)}, new String[]{"GET", "/v1/documents/%2e%2e%2fsecret"},
            new String[]{"GET", "/v1/documents/" + ID + "/extra"}, new String[]{"GET", "/v1/documents/" + ID.toUpperCase()},
            new String[]{"GET", "/v1/documents/%00"}, new String[]{"GET", "//v1//documents"}, new String[]{"GET", "/"},
            new String[]{"GET", "/v1"}, new String[]{"OPTIONS", "/v1/query"}, new String[]{"HEAD", "/v1/documents"});

    private static final List<String> QUERY_STRINGS = List.of(
            "limit=abc", "limit=-1", "limit=99999999999999", "limit=", "limit=1&limit=2", "limit=1.5", "cursor=-5",
            "cursor=99999", "cursor=abc", "cursor=%00", "cursor=" + "9".repeat(30),
            "cursor=10000&limit=100", "cursor=9950&limit=100", "cursor=2147483647&limit=100", "cursor=2147483648");

    /** Vert.x refuses these before any route runs: a bare 400, not JSON, but never a 5xx. */
    private static final List<String> UNDECODABLE_QUERY_STRINGS = List.of("limit=%ZZ", "%%%", "limit=%E0%A4%A");

    @Test
    void no_body_on_any_post_route_yields_a_5xx() {
        List<LambdaEvent> events = new ArrayList<>();
        for (String route : POST_ROUTES) {
            for (String body : BODIES) {
                events.add(LambdaEvent.from("search-tenant-a.json").request("POST", route).body(body));
            }
        }
        assertNoServerErrors(events);
    }

    @Test
    void no_content_type_encoding_method_or_path_yields_a_5xx() {
        List<LambdaEvent> events = new ArrayList<>();
        List<UnaryOperator<LambdaEvent>> variants = List.of(
                e -> e.header("content-type", "text/plain"),
                e -> e.header("content-type", null),
                e -> e.header("content-type", "application/json; charset=utf-16"),
                e -> e.header("content-type", "application/xml").body("<query>x</query>"),
                e -> e.header("content-type", "multipart/form-data; boundary=x").body("--x--"),
                e -> e.header("content-type", "application/json").header("accept", "text/html"),
                e -> e.header("content-encoding", "gzip"),
                e -> e.body(Base64.getEncoder().encodeToString(new byte[]{(byte) 0xff, (byte) 0xfe, 0x00, 0x7b}))
                        .raw("isBase64Encoded", BooleanNode.TRUE),
                e -> e.body(Base64.getEncoder().encodeToString("{\"query\":\"warranty\"}".getBytes(StandardCharsets.UTF_8)))
                        .raw("isBase64Encoded", BooleanNode.TRUE));
        for (String route : POST_ROUTES) {
            for (UnaryOperator<LambdaEvent> variant : variants) {
                events.add(variant.apply(LambdaEvent.from("search-tenant-a.json").request("POST", route)
                        .body("{\"query\":\"warranty\",\"question\":\"warranty\",\"name\":\"x.pdf\"}")));
            }
        }
        for (String[] route : ROUTES) {
            events.add(LambdaEvent.from("search-tenant-a.json").request(route[0], route[1]));
        }
        for (String query : QUERY_STRINGS) {
            events.add(LambdaEvent.from("list-documents-tenant-a.json").query(query));
            events.add(LambdaEvent.from("list-queries-tenant-a.json").query(query));
        }
        assertNoServerErrors(events);
        for (String query : UNDECODABLE_QUERY_STRINGS) {
            assertThat(LambdaEvent.from("list-documents-tenant-a.json").query(query).send().status()).as(query).isEqualTo(400);
        }
    }

    @Test
    void a_malformed_tenant_claim_is_refused_on_every_route_and_reaches_no_tenants_data() {
        Corpus.seed(index, embedder);
        DocumentRecord docOfA = Corpus.ready(Corpus.TENANT_A, "warranty.pdf", Instant.parse("2026-11-01T10:00:00Z"));
        DocumentRecord docOfB = Corpus.ready(Corpus.TENANT_B, "warranty.pdf", Instant.parse("2026-11-01T10:00:00Z"));
        statuses.put(docOfA);
        statuses.put(docOfB);
        Map<String, Integer> claims = new LinkedHashMap<>();
        claims.put("", 401);
        claims.put(" ", 401);
        for (String malformed : List.of("Tenant A", "../tenant-b", "tenant-a/../b", "a".repeat(500), "tenant-a\u0000", "*",
                "tenant-a,tenant-b", "[\"tenant-a\"]", "tenant-b ", "TENANT-B")) {
            claims.put(malformed, 403);
        }

        SoftAssertions softly = new SoftAssertions();
        claims.forEach((tenant, expected) -> {
            for (LambdaEvent event : everyRoute(docOfA.documentId())) {
                LambdaEvent.Reply reply = event.tenant(tenant).send();
                String what = "tenant claim '" + abbreviate(tenant) + "': " + event + " -> " + reply.status() + " " + abbreviate(reply.body());
                softly.assertThat(reply.status()).as(what).isEqualTo(expected);
                softly.assertThat(reply.header("Content-Type")).as(what).startsWith("application/json");
                softly.assertThat(reply.body()).as(what).contains(expected == 401 ? "unauthorized" : "forbidden")
                        .doesNotContain(Corpus.PARTS_A, Corpus.PARTS_B, docOfA.documentId(), docOfB.documentId(), "warranty.pdf");
            }
        });
        ObjectNode noAuthorizer = new ObjectMapper().createObjectNode().put("requestId", "r");
        noAuthorizer.putObject("http").put("method", "POST").put("path", "/v1/search").put("sourceIp", "203.0.113.10");
        softly.assertThat(LambdaEvent.from("search-tenant-a.json").raw("requestContext", noAuthorizer).send().status())
                .as("no authorizer at all").isEqualTo(401);
        softly.assertAll();

        assertThat(index.queries()).as("searches run").isEmpty();
        assertThat(statuses.list(Corpus.TENANT_A, 0, 10)).as("tenant a's documents").containsExactly(docOfA);
        assertThat(statuses.list(Corpus.TENANT_B, 0, 10)).as("tenant b's documents").containsExactly(docOfB);
        assertThat(history.all()).as("questions recorded").isEmpty();
    }

    /** One request per route that reads or writes a tenant's data. */
    private static List<LambdaEvent> everyRoute(String documentId) {
        String body = "{\"query\":\"warranty parts\",\"question\":\"How long does the warranty cover parts?\",\"name\":\"x.pdf\"}";
        List<LambdaEvent> events = new ArrayList<>();
        for (String route : POST_ROUTES) {
            events.add(LambdaEvent.from("search-tenant-a.json").request("POST", route).body(body));
        }
        events.add(LambdaEvent.from("list-documents-tenant-a.json"));
        events.add(LambdaEvent.from("list-queries-tenant-a.json"));
        events.add(LambdaEvent.from("get-document-tenant-a.json").request("GET", "/v1/documents/" + documentId));
        events.add(LambdaEvent.from("get-document-tenant-a.json").request("DELETE", "/v1/documents/" + documentId));
        return events;
    }

    private static void assertNoServerErrors(List<LambdaEvent> events) {
        SoftAssertions softly = new SoftAssertions();
        for (LambdaEvent event : events) {
            LambdaEvent.Reply reply = event.send();
            String what = abbreviate(event.toString()) + " -> " + reply.status() + " " + abbreviate(reply.body());
            softly.assertThat(reply.status()).as(what).isLessThan(500);
            if (reply.status() >= 400 && !event.toString().startsWith("HEAD ")) {
                softly.assertThat(reply.header("Content-Type")).as("JSON error for " + what).startsWith("application/json");
            }
        }
        softly.assertAll();
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }
}
