package dev.quarry.functions.query.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of OpenSearch on a random local port for what the query function reaches directly:
 * cluster health (GET /v1/health; its status and an outage are set by the test) and the query history ({@code OpenSearchQueryLog}, a concrete
 * class with no interface to fake). Documents are kept per index; _search honours the term filters
 * (tenant, conversationId), a createdAt range, from, size, the createdAt sort the history uses, and sum and value_count
 * aggregations (the history's costs).
 */
public final class FakeOpenSearch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEALTH = """
            {"cluster_name":"quarry-test","status":"%s","timed_out":false,"number_of_nodes":1,"number_of_data_nodes":1,\
            "discovered_master":true,"discovered_cluster_manager":true,"active_primary_shards":1,"active_shards":1,\
            "relocating_shards":0,"initializing_shards":0,"unassigned_shards":0,"delayed_unassigned_shards":0,\
            "number_of_pending_tasks":0,"number_of_in_flight_fetch":0,"task_max_waiting_in_queue_millis":0,\
            "active_shards_percent_as_number":100.0}""";

    private final HttpServer server;
    private final Map<String, Map<String, JsonNode>> indices = new ConcurrentHashMap<>();
    /** Indices created through PUT /{index}, with the definition they were created from. */
    private final Map<String, ObjectNode> created = new ConcurrentHashMap<>();
    private volatile String clusterStatus = "green";
    private volatile boolean unavailable;

    public FakeOpenSearch() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the fake OpenSearch", e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Empties every index and brings the cluster back to green and available. */
    public void clear() {
        indices.clear();
        clusterStatus = "green";
        unavailable = false;
    }

    /** The mappings an index was created with (PUT /{index}), or a missing node when nothing created it. */
    public JsonNode mappings(String index) {
        ObjectNode definition = created.get(index);
        return definition == null ? JSON.missingNode() : definition.path("mappings");
    }

    /** The status cluster health reports: green, yellow or red. */
    public void clusterStatus(String status) {
        clusterStatus = status;
    }

    /** Answers every request with 503, as a cluster without a master does. */
    public void unavailable() {
        unavailable = true;
    }

    public List<JsonNode> documents(String index) {
        return List.copyOf(indices.getOrDefault(index, Map.of()).values());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String[] path = exchange.getRequestURI().getPath().replaceAll("^/+", "").split("/");
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            if (unavailable) {
                send(exchange, 503, "{\"error\":{\"type\":\"cluster_manager_not_discovered_exception\",\"reason\":\"no cluster manager\"},"
                        + "\"status\":503}");
            } else if (method.equals("GET") && path.length == 2 && path[0].equals("_cluster") && path[1].equals("health")) {
                send(exchange, 200, HEALTH.formatted(clusterStatus));
            } else if (method.equals("HEAD") && path.length == 1) {
                exchange.sendResponseHeaders(created.containsKey(path[0]) ? 200 : 404, -1);
                exchange.close();
            } else if (method.equals("PUT") && path.length == 1) {
                if (created.putIfAbsent(path[0], (ObjectNode) JSON.readTree(body)) != null) {
                    send(exchange, 400, "{\"error\":{\"type\":\"resource_already_exists_exception\",\"reason\":\"index [" + path[0]
                            + "] already exists\"},\"status\":400}");
                } else {
                    send(exchange, 200, "{\"acknowledged\":true,\"shards_acknowledged\":true,\"index\":\"" + path[0] + "\"}");
                }
            } else if (method.equals("GET") && path.length == 2 && path[1].equals("_mapping") && created.containsKey(path[0])) {
                ObjectNode result = JSON.createObjectNode();
                result.putObject(path[0]).set("mappings", created.get(path[0]).path("mappings"));
                send(exchange, 200, result.toString());
            } else if (method.equals("PUT") && path.length == 2 && path[1].equals("_mapping") && created.containsKey(path[0])) {
                ((ObjectNode) created.get(path[0]).path("mappings").path("properties")).setAll((ObjectNode) JSON.readTree(body).path("properties"));
                send(exchange, 200, "{\"acknowledged\":true}");
            } else if (method.equals("PUT") && path.length == 3 && path[1].equals("_doc")) {
                if (!created.containsKey(path[0])) {
                    // Amazon OpenSearch would auto-create it with dynamic mappings: a write before the index exists is the bug.
                    send(exchange, 500, "{\"error\":\"write to " + path[0] + " before the function created it\"}");
                    return;
                }
                indices.computeIfAbsent(path[0], k -> new ConcurrentHashMap<>()).put(path[2], JSON.readTree(body));
                send(exchange, 201, "{\"_index\":\"" + path[0] + "\",\"_id\":\"" + path[2] + "\",\"_version\":1,\"result\":\"created\","
                        + "\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0},\"_seq_no\":0,\"_primary_term\":1}");
            } else if (method.equals("POST") && path.length == 2 && path[1].equals("_search")) {
                send(exchange, 200, search(path[0], JSON.readTree(body)).toString());
            } else {
                send(exchange, 404, "{\"error\":\"not faked: " + method + " " + exchange.getRequestURI() + "\"}");
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"error\":\"" + e + "\"}");
        }
    }

    private ObjectNode search(String index, JsonNode query) {
        Map<String, String> terms = new java.util.HashMap<>();
        List<JsonNode> ranges = new java.util.ArrayList<>();
        for (JsonNode filter : query.path("query").path("bool").path("filter")) {
            filter.path("term").properties().forEach(e -> terms.put(e.getKey(),
                    e.getValue().isObject() ? e.getValue().path("value").asText() : e.getValue().asText()));
            if (filter.has("range")) {
                ranges.add(filter.path("range"));
            }
        }
        List<Map.Entry<String, JsonNode>> all = indices.getOrDefault(index, Map.of()).entrySet().stream()
                .filter(d -> terms.entrySet().stream().allMatch(t -> t.getValue().equals(d.getValue().path(t.getKey()).asText())))
                .filter(d -> ranges.stream().allMatch(r -> inRange(d.getValue(), r)))
                .sorted(Comparator.comparing((Map.Entry<String, JsonNode> d) -> d.getValue().path("createdAt").asText()).reversed())
                .toList();
        List<Map.Entry<String, JsonNode>> matching = all.stream().skip(query.path("from").asInt(0)).limit(query.path("size").asInt(10))
                .toList();
        ObjectNode result = JSON.createObjectNode();
        result.put("took", 1).put("timed_out", false);
        result.putObject("_shards").put("total", 1).put("successful", 1).put("skipped", 0).put("failed", 0);
        ObjectNode hitsNode = result.putObject("hits");
        hitsNode.putObject("total").put("value", all.size()).put("relation", "eq");
        ArrayNode hits = hitsNode.putArray("hits");
        matching.forEach(d -> hits.addObject().put("_index", index).put("_id", d.getKey()).put("_score", 1.0).set("_source", d.getValue()));
        ObjectNode aggregations = result.putObject("aggregations");
        // The typed client names its aggregations "aggregations" and asks for typed keys ("sum#name") in the answer.
        JsonNode aggs = query.has("aggregations") ? query.path("aggregations") : query.path("aggs");
        aggs.properties().forEach(agg -> {
            boolean sum = agg.getValue().has("sum");
            String field = agg.getValue().path(sum ? "sum" : "value_count").path("field").asText();
            List<JsonNode> values = all.stream().map(d -> at(d.getValue(), field)).filter(JsonNode::isNumber).toList();
            aggregations.putObject((sum ? "sum#" : "value_count#") + agg.getKey())
                    .put("value", sum ? values.stream().mapToDouble(JsonNode::asDouble).sum() : values.size());
        });
        return result;
    }

    /** A date range over instants written as ISO-8601 text (gte, lt), as the history's createdAt is. */
    private static boolean inRange(JsonNode document, JsonNode range) {
        var field = range.properties().iterator().next();
        java.time.Instant value = java.time.Instant.parse(at(document, field.getKey()).asText());
        JsonNode bounds = field.getValue();
        return (!bounds.has("gte") || !value.isBefore(java.time.Instant.parse(bounds.path("gte").asText())))
                && (!bounds.has("lt") || value.isBefore(java.time.Instant.parse(bounds.path("lt").asText())));
    }

    /** A dotted field ("cost.usd") of a document. */
    private static JsonNode at(JsonNode document, String field) {
        JsonNode node = document;
        for (String part : field.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
