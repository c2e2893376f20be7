package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.adapters.opensearch.OpenSearchClients;
import dev.quarry.adapters.opensearch.OpenSearchStatusStore;
import dev.quarry.core.Ids;
import dev.quarry.model.DocumentRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults during an ingestion, each injected where AWS has it too (a process killed, a server stopped, a queue
 * delivering twice, an index refusing writes), through the real local stack. After each, every document must
 * end as it would have without the fault, and OpenSearch must hold exactly the chunks of a clean run of the
 * same PDFs: the same ids, the same count, the same text, pages and parts, nothing lost and nothing twice.
 */
@ExtendWith(StackSession.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration INGESTION = Duration.ofMinutes(4);
    /** Three real PDFs of the test fixtures: 6 pages of prose, a dense 2-page reference card, a 1-page man page. */
    private static final Map<String, String> PDFS = Map.of(
            "xspace.pdf", "texlive-latex-base-doc__xspace.pdf",
            "refcard.pdf", "octave-doc__refcard-a4.pdf",
            "ssh.pdf", "debian-handbook__ssh-L.pdf");

    /** A chunk as indexed, without what differs between tenants (its id, tenant and document id). */
    record Chunk(String version, int part, int ordinal, int pageStart, int pageEnd, String text) {
    }

    /** One document's chunks in the clean run. */
    record Baseline(String version, List<Chunk> chunks) {
        /** The ids these chunks get in document {@code documentId}: the same source, so the same ids. */
        Set<String> idsIn(String documentId) {
            return chunks.stream().map(c -> Ids.chunkId(documentId, version, c.part(), c.ordinal())).collect(Collectors.toSet());
        }
    }

    private static StackConfig config;
    private static Path fixtures;
    private static Map<String, Baseline> clean;

    @BeforeAll
    static void cleanRun() throws Exception {
        config = StackSession.ensure();
        fixtures = config.projectRoot().resolve("shared/core/src/test/resources/pdfs");
        Api api = tenant("it-clean");
        Map<String, String> ids = uploadAll(api);
        Map<String, JsonNode> done = api.awaitTerminal(ids.values(), INGESTION);
        clean = new LinkedHashMap<>();
        for (var e : ids.entrySet()) {
            assertThat(done.get(e.getValue()).path("status").asText()).as("clean run of %s", e.getKey()).isEqualTo("READY");
            Map<String, Chunk> indexed = indexed(api.tenant, e.getValue());
            assertThat(indexed).as("chunks of %s in the clean run", e.getKey()).isNotEmpty()
                    .hasSize(done.get(e.getValue()).path("chunks").asInt());
            List<Chunk> chunks = sorted(indexed.values());
            clean.put(e.getKey(), new Baseline(chunks.get(0).version(), chunks));
        }
    }

    @Test
    @Order(1)
    void a_document_whose_upload_never_came_reads_upload_expired_and_a_fresh_url_ingests_it_like_a_clean_run() throws Exception {
        Api api = tenant("it-fault-expired");
        Api.Response created = api.call("POST", "/v1/documents", "{\"name\":\"xspace.pdf\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().path("documentId").asText();
        assertThat(api.document(id).path("status").asText()).isEqualTo("QUEUED");

        // The function's clock cannot be moved: the record is aged instead, as if created 21 minutes ago
        // (past the 15-minute upload URL and its 5-minute grace).
        Instant then = Instant.now().minus(Duration.ofMinutes(21));
        try (OpenSearchClients.Handle os = OpenSearchClients.local(config.openSearchEndpoint())) {
            new OpenSearchStatusStore(os.client(), "quarry-documents").update(id, current -> current.map(r ->
                    DocumentRecord.queued(r.documentId(), r.tenant(), r.name(), r.key(), then)));
        }
        JsonNode expired = api.document(id);
        assertThat(expired.path("status").asText()).isEqualTo("FAILED");
        assertThat(expired.path("errorCode").asText()).isEqualTo("UPLOAD_EXPIRED");
        assertThat(expired.path("reason").asText()).contains("upload URL expired").contains("POST /v1/documents");
        assertThat(api.call("GET", "/v1/documents", null).body().path("documents"))
                .singleElement().satisfies(d -> assertThat(d.path("status").asText()).isEqualTo("FAILED"));

        // Posting the name again gives a fresh URL for the same document, and the upload goes through.
        assertThat(api.upload("xspace.pdf", fixtures.resolve(PDFS.get("xspace.pdf")))).isEqualTo(id);
        assertLikeCleanRun(api, Map.of("xspace.pdf", id));
    }

    @Test
    @Order(2)
    void poison_messages_reach_the_dead_letter_queue_and_a_redrive_completes_them_once_the_cause_is_fixed() throws Exception {
        Api api = tenant("it-fault-dlq");
        Map<String, String> ids = new LinkedHashMap<>();
        // The documents are created (the status records written) first; then the status index refuses writes,
        // as Amazon OpenSearch Service blocks an index when its storage runs out.
        Map<String, String> urls = new LinkedHashMap<>();
        for (String name : PDFS.keySet()) {
            Api.Response created = api.call("POST", "/v1/documents", JSON.createObjectNode().put("name", name).toString());
            assertThat(created.status()).isEqualTo(201);
            ids.put(name, created.body().path("documentId").asText());
            urls.put(name, created.body().path("uploadUrl").asText());
        }
        try (SqsClient sqs = Clients.sqs(config)) {
            String dlq = sqs.getQueueUrl(b -> b.queueName("quarry-ingest-dlq")).queueUrl();
            setWriteBlock("quarry-documents", true);
            try {
                for (String name : PDFS.keySet()) {
                    put(urls.get(name), fixtures.resolve(PDFS.get(name)));
                }
                // Each upload's message fails every delivery (the extract function cannot record its start), and
                // after maxReceiveCount (3) deliveries the queue moves it to its dead-letter queue.
                List<Message> dead = Await.until("the three uploads in the ingest DLQ", Duration.ofMinutes(2),
                        () -> peek(sqs, dlq, api.tenant), m -> m.size() == PDFS.size());
                assertThat(dead).allSatisfy(m -> assertThat(Integer.parseInt(
                        m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))).isGreaterThanOrEqualTo(3));
                assertThat(ids.values()).allSatisfy(id -> assertThat(api.document(id).path("status").asText())
                        .as("no status could be written").isEqualTo("QUEUED"));
            } finally {
                setWriteBlock("quarry-documents", false);
            }
            // The cause is fixed: what `scripts/quarry redrive` runs.
            Map<String, Long> moved = new Redrive(sqs, Pipeline.load(config.projectRoot())).run(List.of("ingest", "chunk", "embed", "index"));
            assertThat(moved.get("quarry-ingest-dlq")).isGreaterThanOrEqualTo(PDFS.size());
            assertLikeCleanRun(api, ids);
            assertThat(peek(sqs, dlq, api.tenant)).isEmpty();
        }
    }

    @Test
    @Order(3)
    void a_sandbox_killed_while_it_holds_a_batch_loses_and_duplicates_nothing() throws Exception {
        Api api = tenant("it-fault-kill");
        long logFrom = Files.size(config.logs().resolve("stack.log"));
        Map<String, String> ids = uploadAll(api);
        try (SqsClient sqs = Clients.sqs(config)) {
            String queue = sqs.getQueueUrl(b -> b.queueName("quarry-embed")).queueUrl();
            // A message in flight on the embed queue is a batch an embed sandbox is working on: the event source
            // receives one only when a sandbox is free to take it.
            Await.until("an embed batch in flight", Duration.ofMinutes(2), () -> inFlight(sqs, queue), n -> n > 0);
        }
        int killed = kill("function-embed");
        assertThat(killed).as("embed sandboxes killed").isPositive();

        assertLikeCleanRun(api, ids);
        String log = Files.readString(config.logs().resolve("stack.log")).substring((int) logFrom);
        assertThat(log).as("the killed sandbox failed its batch, which the queue then delivered again")
                .contains("event source embed: whole batch failed");
    }

    @Test
    @Order(4)
    void every_message_delivered_twice_and_out_of_order_during_the_ingestion_loses_and_duplicates_nothing() throws Exception {
        Api api = tenant("it-fault-twice");
        Pipeline pipeline = Pipeline.load(config.projectRoot());
        BucketNotifications notifications = BucketNotifications.of(pipeline);
        Random random = new Random(7);
        Map<String, Long> due = new LinkedHashMap<>(); // key -> when its second delivery is sent
        Set<String> sent = new HashSet<>();
        int deliveries = 0;
        try (S3Client s3 = Clients.s3(config); SqsClient sqs = Clients.sqs(config);
                OpenSearchClients.Handle os = OpenSearchClients.local(config.openSearchEndpoint())) {
            OpenSearchStatusStore statuses = new OpenSearchStatusStore(os.client(), "quarry-documents");
            Map<String, String> ids = uploadAll(api);
            // Every object the ingestion writes notifies its queue once through S3; each notification is sent a second
            // time after a random delay of up to 3 s, so the copies arrive out of order with the later stages' events.
            boolean finished = false;
            long deadline = System.nanoTime() + INGESTION.toNanos();
            while (!finished) {
                assertThat(System.nanoTime()).as("the ingestion with duplicates finished in time").isLessThan(deadline);
                boolean ready = ids.values().stream().allMatch(id -> api.document(id).path("status").asText().equals("READY"));
                int before = due.size();
                for (String prefix : List.of("documents/", "work/ranges/", "work/extracted/", "work/chunks/", "work/embedded/")) {
                    s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(prefix + api.tenant + "/")).contents().stream()
                            .map(S3Object::key).forEach(k -> due.putIfAbsent(k, System.currentTimeMillis() + random.nextInt(3000)));
                }
                for (var e : due.entrySet()) {
                    if (sent.contains(e.getKey()) || e.getValue() > System.currentTimeMillis()) {
                        continue;
                    }
                    String key = e.getKey();
                    String sequencer = "0000000000000001"; // work files: their events' sequencers are not read
                    if (key.startsWith("documents/")) {
                        // The upload's copy must be the same event: its sequencer is the one its record holds.
                        Optional<String> recorded = statuses.get(ids.get(key.substring(key.lastIndexOf('/') + 1)))
                                .map(DocumentRecord::sequencer);
                        if (recorded.isEmpty() || recorded.get() == null) {
                            continue;
                        }
                        sequencer = recorded.get();
                    }
                    var head = s3.headObject(b -> b.bucket(config.bucket()).key(key));
                    String event = S3Notifications.created(config, key, head.contentLength(), head.eTag().replace("\"", ""), sequencer);
                    for (String queue : notifications.destinations(key, "ObjectCreated:Put")) {
                        String url = sqs.getQueueUrl(b -> b.queueName("quarry-" + queue)).queueUrl();
                        sqs.sendMessage(b -> b.queueUrl(url).messageBody(event));
                        deliveries++;
                    }
                    sent.add(key);
                }
                finished = ready && due.size() == before && sent.size() == due.size();
                Servers.sleep(200);
            }
            // 3 uploads and at least one range, extracted, chunk and embedded file each.
            assertThat(sent).hasSizeGreaterThanOrEqualTo(PDFS.size() * 5);
            assertThat(deliveries).isGreaterThanOrEqualTo(sent.size());
            awaitQueuesDrained(sqs, pipeline);
            assertLikeCleanRun(api, ids);
        }
    }

    @Test
    @Order(5)
    void opensearch_killed_mid_ingestion_and_started_again_loses_and_duplicates_nothing() throws Exception {
        Api api = tenant("it-fault-opensearch");
        Map<String, String> ids = uploadAll(api);
        Await.until("a document in the middle of its ingestion", Duration.ofMinutes(2),
                () -> ids.values().stream().map(id -> api.document(id).path("status").asText()).toList(),
                s -> s.stream().anyMatch(x -> !x.equals("QUEUED") && !x.equals("READY")));
        assertThat(kill("opensearch")).isEqualTo(1);
        // The stack starts it again on the same data, as the service replaces a failed node.
        Await.until("OpenSearch down", Duration.ofSeconds(30), FaultsIT::openSearchHealthy, up -> !up);
        Await.until("OpenSearch healthy again", Duration.ofMinutes(4), FaultsIT::openSearchHealthy, up -> up);

        // Meanwhile every stage failed on it: messages that exhausted their deliveries wait in the dead-letter
        // queues, and their documents could not even record it. An operator redrives them once OpenSearch is back.
        try (SqsClient sqs = Clients.sqs(config)) {
            Redrive redrive = new Redrive(sqs, Pipeline.load(config.projectRoot()));
            Await.until("every document READY after redrives", INGESTION, () -> {
                redrive.run(List.of("ingest", "chunk", "embed", "index"));
                return ids.values().stream().map(id -> api.document(id).path("status").asText()).toList();
            }, s -> s.stream().allMatch("READY"::equals));
            awaitQueuesDrained(sqs, Pipeline.load(config.projectRoot()));
        }
        assertLikeCleanRun(api, ids);
    }

    // ------------------------------------------------------------------ helpers

    private static Api tenant(String prefix) {
        return new Api(config, prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static Map<String, String> uploadAll(Api api) {
        Map<String, String> ids = new LinkedHashMap<>();
        PDFS.keySet().stream().sorted().forEach(name -> ids.put(name, api.upload(name, fixtures.resolve(PDFS.get(name)))));
        return ids;
    }

    /**
     * Every document READY with the clean run's chunk count, and OpenSearch holding exactly the clean run's chunks
     * for it (the same ids, text, pages, parts and ordinals), and nothing else for the tenant.
     */
    private static void assertLikeCleanRun(Api api, Map<String, String> ids) throws Exception {
        Map<String, JsonNode> done = api.awaitTerminal(ids.values(), INGESTION);
        int total = 0;
        for (var e : ids.entrySet()) {
            Baseline baseline = clean.get(e.getKey());
            JsonNode doc = done.get(e.getValue());
            assertThat(doc.path("status").asText()).as("%s: %s", e.getKey(), doc).isEqualTo("READY");
            assertThat(doc.path("chunks").asInt()).as("chunk count of %s", e.getKey()).isEqualTo(baseline.chunks().size());
            Map<String, Chunk> indexed = indexed(api.tenant, e.getValue());
            assertThat(indexed.keySet()).as("chunk ids of %s", e.getKey()).isEqualTo(baseline.idsIn(e.getValue()));
            assertThat(sorted(indexed.values())).as("chunks of %s", e.getKey()).isEqualTo(baseline.chunks());
            total += indexed.size();
        }
        assertThat(countChunks(api.tenant)).as("chunks of the tenant").isEqualTo(total);
    }

    private static List<Chunk> sorted(java.util.Collection<Chunk> chunks) {
        return chunks.stream().sorted(Comparator.comparingInt(Chunk::part).thenComparingInt(Chunk::ordinal)).toList();
    }

    /** One document's chunks by id, read straight from OpenSearch. */
    private static Map<String, Chunk> indexed(String tenant, String documentId) throws Exception {
        openSearch("POST", "/quarry-chunks/_refresh", null);
        JsonNode hits = openSearch("POST", "/quarry-chunks/_search", "{\"size\":2000,\"_source\":{\"excludes\":[\"embedding\"]},"
                + "\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tenant\":\"" + tenant + "\"}},{\"term\":{\"documentId\":\""
                + documentId + "\"}}]}}}").path("hits").path("hits");
        Map<String, Chunk> chunks = new LinkedHashMap<>();
        for (JsonNode h : hits) {
            JsonNode s = h.path("_source");
            assertThat(h.path("_id").asText()).isEqualTo(s.path("chunkId").asText());
            chunks.put(h.path("_id").asText(), new Chunk(s.path("version").asText(), s.path("part").asInt(), s.path("ordinal").asInt(),
                    s.path("pageStart").asInt(), s.path("pageEnd").asInt(), s.path("text").asText()));
        }
        return chunks;
    }

    private static int countChunks(String tenant) throws Exception {
        return openSearch("POST", "/quarry-chunks/_count", "{\"query\":{\"term\":{\"tenant\":\"" + tenant + "\"}}}").path("count").asInt();
    }

    private static JsonNode openSearch(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(config.openSearchEndpoint() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    /** The block Amazon OpenSearch Service puts on indices when storage runs out: reads and deletes only. */
    private static void setWriteBlock(String index, boolean on) throws Exception {
        openSearch("PUT", "/" + index + "/_settings", "{\"index.blocks.read_only_allow_delete\":" + (on ? "true" : "null") + "}");
    }

    private static boolean openSearchHealthy() {
        return Servers.get(config.openSearchEndpoint() + "/_cluster/health", 200, "\"status\":\"green\"", "\"status\":\"yellow\"");
    }

    private static void put(String url, Path file) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofFile(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("presigned PUT: %s", r.body()).isEqualTo(200);
    }

    /**
     * Kills, as a crash would (SIGKILL), every stack process whose pid file is {@code name}.pid or {@code name}-N.pid
     * (a function's sandboxes), with its children; returns how many were running.
     */
    private static int kill(String name) throws IOException {
        int killed = 0;
        try (var files = Files.list(config.pids())) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (!file.equals(name + ".pid") && !file.matches(java.util.regex.Pattern.quote(name) + "-\\d+\\.pid")) {
                    continue;
                }
                Optional<ProcessHandle> p = ChildProcesses.readPid(f).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
                if (p.isPresent()) {
                    p.get().descendants().forEach(ProcessHandle::destroyForcibly);
                    p.get().destroyForcibly();
                    killed++;
                }
            }
        }
        return killed;
    }

    private static long inFlight(SqsClient sqs, String queueUrl) {
        return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** The messages of a queue that name a tenant's objects, left visible for the next receiver. */
    private static List<Message> peek(SqsClient sqs, String queueUrl, String tenant) {
        List<Message> found = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 5; i++) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages()) {
                if (m.body().contains("%2F" + tenant + "%2F") || m.body().contains("/" + tenant + "/")) {
                    if (seen.add(m.messageId())) {
                        found.add(m);
                    }
                }
            }
        }
        return found;
    }

    private static void awaitQueuesDrained(SqsClient sqs, Pipeline pipeline) {
        int[] quiet = {0};
        Await.until("the pipeline's queues drained", Duration.ofMinutes(3), () -> {
            long messages = 0;
            for (Pipeline.Stage stage : pipeline.stages()) {
                String url = sqs.getQueueUrl(b -> b.queueName(stage.queueName())).queueUrl();
                Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                messages += Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
            }
            quiet[0] = messages == 0 ? quiet[0] + 1 : 0;
            return quiet[0];
        }, q -> q >= 3);
    }
}
