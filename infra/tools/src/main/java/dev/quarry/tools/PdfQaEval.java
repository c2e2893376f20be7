package dev.quarry.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.pipeline.Keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Page-level retrieval and cited-answer quality on a folder of PDFs with questions (FinanceBench
 * layout, see {@link PdfQaDataset}), measured end to end through the running stack's public API:
 * the PDFs go in by presigned upload and the real pipeline, the questions go to /v1/search in each
 * mode and to /v1/query. Nothing is scored in-process, so the numbers are what a client gets.
 */
public final class PdfQaEval {
    static final String USAGE = "usage: PdfQaEval <folder> [--tenant T] [--k 1,3,5,10] [--max-questions N] [--reingest] [--out DIR]\n"
            + "                 [--api URL --api-key KEY] [--timeout-minutes 60]";
    static final List<String> MODES = List.of("bm25", "knn", "hybrid");
    static final int QUERY_TOP_K = 5;
    static final int MAX_TOP_K = 50; // the API's limit on topK
    static final int WARM_UP = 3;
    static final int KEPT_HITS = 10;

    private PdfQaEval() {
    }

    public static void main(String[] argv) {
        Tools.init();
        try {
            Args args = Args.parse(argv, Set.of("tenant", "k", "max-questions", "out", "api", "api-key", "timeout-minutes"),
                    Set.of("reingest", "help"));
            if (args.flag("help")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (args.positional().size() != 1) {
                throw new Args.UsageException("give exactly one folder with questions.jsonl and pdfs/");
            }
            run(args);
            System.exit(0);
        } catch (Args.UsageException e) {
            System.err.println("PdfQaEval: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (Exception e) {
            Tools.fail("PdfQaEval", e);
            System.exit(1);
        }
    }

    private static void run(Args args) throws Exception {
        Path folder = Path.of(args.positional().getFirst());
        PdfQaDataset data;
        try {
            data = PdfQaDataset.load(folder);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        List<Integer> ks = parseKs(args.value("k", "1,3,5,10"));
        int searchTopK = Math.max(ks.getLast(), PdfQaMetrics.MRR_CUTOFF);
        if (searchTopK > MAX_TOP_K) {
            throw new Args.UsageException("--k goes up to " + MAX_TOP_K + " (the API's topK limit)");
        }
        String tenant = args.value("tenant").orElseGet(() -> defaultTenant(data.name()));
        if (!Keys.TENANT.matcher(tenant).matches()) {
            throw new Args.UsageException("tenant '" + tenant + "' is not one the API accepts: " + Keys.TENANT.pattern());
        }
        String url = args.value("api").orElseGet(() -> LocalApi.stackInfo().path("api").asText(null));
        if (url == null) {
            throw new Tools.ToolException("No running local stack (no .quarry/stack.json): start it with scripts/quarry up, or pass --api URL --api-key KEY");
        }
        LocalApi api = new LocalApi(url, args.value("api-key").orElseGet(() -> LocalApi.keyFor(tenant)));
        List<PdfQaDataset.Question> questions = data.sample(args.intValue("max-questions", Integer.MAX_VALUE));
        Path out = args.value("out").map(Path::of).orElse(ProjectPaths.stateDir("eval", data.name()));
        System.out.printf(Locale.ROOT, "%s: %d PDFs, %d questions, evaluating %d; tenant %s at %s%n", data.name(), data.pdfs().size(),
                data.questions().size(), questions.size(), tenant, api.url());

        PdfQaIngest.Outcome ingest = new PdfQaIngest(api).run(data.pdfs(), args.flag("reingest"),
                Duration.ofMinutes(args.intValue("timeout-minutes", 60)));
        Map<String, PdfQaIngest.Document> byName = ingest.documents().stream()
                .collect(Collectors.toMap(PdfQaIngest.Document::name, Function.identity()));
        reportIngest(ingest, data);

        for (PdfQaDataset.Question q : questions.subList(0, Math.min(WARM_UP, questions.size()))) {
            ask(api, q, byName.get(q.fileName()).documentId(), searchTopK); // JIT, ONNX session, caches: not scored
        }
        System.out.printf(Locale.ROOT, "Asking %d questions: /v1/search (%s, topK %d) and /v1/query (topK %d) ...%n", questions.size(),
                String.join(", ", MODES), searchTopK, QUERY_TOP_K);
        List<PdfQaReport.QuestionRow> rows = new ArrayList<>();
        for (PdfQaDataset.Question q : questions) {
            rows.add(ask(api, q, byName.get(q.fileName()).documentId(), searchTopK));
            if (rows.size() % 25 == 0) {
                System.out.printf(Locale.ROOT, "  %d/%d questions%n", rows.size(), questions.size());
            }
        }

        PdfQaReport.Result result = new PdfQaReport.Result(summary(data, tenant, api, questions.size(), ks, searchTopK, ingest, rows), rows);
        String markdown = PdfQaReport.markdown(result, MODES);
        System.out.println();
        System.out.println(markdown);
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), markdown);
        EvalReport.writeJson(result, out.resolve("results.json"));
        PdfQaReport.writeChart(result.summary(), out.resolve("chart.png"));
        System.out.println("Wrote " + out.resolve("results.md") + ", results.json and chart.png");
    }

    /** One question: the three search modes, then the answer; each request timed on the client. */
    static PdfQaReport.QuestionRow ask(LocalApi api, PdfQaDataset.Question q, String documentId, int topK) throws Exception {
        Map<String, PdfQaReport.ModeRow> modes = new LinkedHashMap<>();
        for (String mode : MODES) {
            ObjectNode body = BeirDataset.JSON.createObjectNode().put("query", q.question()).put("topK", topK).put("mode", mode);
            LocalApi.Response r = api.post("/v1/search", body, 200);
            List<PdfQaMetrics.Hit> hits = new ArrayList<>();
            r.json().path("hits").forEach(h -> hits.add(PdfQaMetrics.Hit.of(h)));
            modes.put(mode, new PdfQaReport.ModeRow(
                    hits.stream().limit(KEPT_HITS).map(h -> new PdfQaReport.HitRow(h.name(), h.pageStart(), h.pageEnd(), h.score())).toList(),
                    PdfQaMetrics.docRank(hits, documentId), PdfQaMetrics.pageRank(hits, documentId, q.evidencePages()), r.millis()));
        }
        LocalApi.Response r = api.post("/v1/query", BeirDataset.JSON.createObjectNode().put("question", q.question()).put("topK", QUERY_TOP_K), 200);
        JsonNode answer = r.json();
        List<PdfQaMetrics.Citation> citations = new ArrayList<>();
        answer.path("citations").forEach(c -> citations.add(PdfQaMetrics.Citation.of(c)));
        PdfQaReport.AnswerRow query = new PdfQaReport.AnswerRow(answer.path("found").asBoolean(), answer.path("answerMode").asText(),
                answer.path("answer").asText(), citations.stream().map(c -> new PdfQaReport.CitationRow(c.name(), c.page(), c.quote())).toList(),
                PdfQaMetrics.citesDocument(citations, documentId), PdfQaMetrics.citesEvidence(citations, documentId, q.evidencePages()),
                r.millis());
        return new PdfQaReport.QuestionRow(q.id(), q.docName(), q.typeOrUnknown(), q.question(), q.evidencePages(), modes, query);
    }

    static PdfQaReport.Summary summary(PdfQaDataset data, String tenant, LocalApi api, int questions, List<Integer> ks, int searchTopK,
                                       PdfQaIngest.Outcome ingest, List<PdfQaReport.QuestionRow> rows) {
        // The chart and the breakdowns read @5 whatever the table shows.
        List<Integer> cutoffs = Stream.concat(ks.stream(), Stream.of(PdfQaReport.HEADLINE_K))
                .distinct().sorted().toList();
        List<PdfQaMetrics.ModeSummary> modes = new ArrayList<>();
        for (String mode : MODES) {
            List<PdfQaReport.ModeRow> runs = rows.stream().map(r -> r.modes().get(mode)).toList();
            modes.add(PdfQaMetrics.summarize(mode, runs.stream().map(m -> new PdfQaMetrics.Ranks(m.docRank(), m.pageRank())).toList(),
                    runs.stream().map(PdfQaReport.ModeRow::millis).toList(), cutoffs));
        }
        PdfQaMetrics.AnswerSummary answers = PdfQaMetrics.summarizeAnswers(
                rows.stream().map(r -> new PdfQaMetrics.Answered(r.query().found(), r.query().citesDocument(), r.query().citesEvidence())).toList(),
                rows.stream().map(r -> r.query().millis()).toList());
        PdfQaReport.Ingest ix = new PdfQaReport.Ingest(ingest.documents().size(), ingest.uploaded(), ingest.count("READY"),
                ingest.count("FAILED"), ingest.pages(), ingest.chunks(), ingest.seconds(), ingest.documents());
        return new PdfQaReport.Summary(data.name(), tenant, api.url(), questions, data.questions().size(), ks, searchTopK, QUERY_TOP_K, ix,
                modes, answers, PdfQaReport.byQuestionType(rows, MODES), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private static void reportIngest(PdfQaIngest.Outcome ingest, PdfQaDataset data) {
        System.out.printf(Locale.ROOT, "Ingest: %d READY, %d FAILED; %d pages, %d chunks%s%n", ingest.count("READY"), ingest.count("FAILED"),
                ingest.pages(), ingest.chunks(), ingest.uploaded() == 0 ? " (all kept from an earlier run)"
                        : String.format(Locale.ROOT, "; %d uploaded and finished in %.1f s", ingest.uploaded(), ingest.seconds()));
        for (PdfQaIngest.Document d : ingest.documents()) {
            Integer expected = data.manifestPages().get(d.name().substring(0, d.name().length() - 4));
            if (!d.status().equals("READY")) {
                System.out.println("  warning: " + d.name() + " is " + d.status() + (d.reason() == null ? "" : " (" + d.reason() + ")")
                        + ": its questions can only miss");
            } else if (expected != null && expected != d.pages()) {
                System.out.printf(Locale.ROOT, "  warning: %s has %d pages in the index, %d in manifest.tsv%n", d.name(), d.pages(), expected);
            }
        }
    }

    /** The cut-offs, ascending and distinct: "1,3,5,10". */
    static List<Integer> parseKs(String value) {
        try {
            List<Integer> ks = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Integer::parseInt)
                    .distinct().sorted().toList();
            if (ks.isEmpty() || ks.getFirst() < 1) {
                throw new Args.UsageException("--k takes cut-offs >= 1 like 1,3,5,10; got '" + value + "'");
            }
            return ks;
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--k takes whole numbers like 1,3,5,10; got '" + value + "'");
        }
    }

    /** {@code eval-<folder>}, cut to the tenant id length the API accepts ({@link Keys#TENANT}). */
    static String defaultTenant(String folderName) {
        String tenant = "eval-" + BeirDataset.indexSafe(folderName);
        return tenant.length() <= 63 ? tenant : tenant.substring(0, 63);
    }
}
