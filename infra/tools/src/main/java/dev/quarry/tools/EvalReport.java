package dev.quarry.tools;

import com.fasterxml.jackson.databind.SerializationFeature;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The outcome of one BEIR run, and its three renderings: markdown, JSON and a bar chart. */
final class EvalReport {
    static final List<String> METRICS = List.of("nDCG@10", "Recall@100", "MRR@10");

    /** Means over the evaluated queries for one retrieval mode; latencies are client wall-clock per query. */
    record ModeResult(String mode, double ndcgAt10, double recallAt100, double mrrAt10,
                      double meanLatencyMillis, double p95LatencyMillis) {
        double metric(String name) {
            return switch (name) {
                case "nDCG@10" -> ndcgAt10;
                case "Recall@100" -> recallAt100;
                case "MRR@10" -> mrrAt10;
                default -> throw new IllegalArgumentException("Unknown metric " + name);
            };
        }
    }

    /** How the corpus got into the index; {@code reused} means this run found it already indexed. */
    record Indexing(long docs, long chunks, double seconds, Double docsPerSecond, Double chunksPerSecond, boolean reused,
                    long alreadyIndexed) {
    }

    record Result(String dataset, String split, int queries, int judgedQueries, long corpusDocs, String index,
                  String embeddingModel, String chunking, int candidatesPerSide, Indexing indexing,
                  double meanQueryEmbedMillis, List<ModeResult> modes, String createdAt) {
    }

    private EvalReport() {
    }

    /** One row per mode: the three BEIR metrics and the mean and p95 latency. */
    static String table(List<ModeResult> modes) {
        MarkdownTable t = new MarkdownTable("mode", "nDCG@10", "Recall@100", "MRR@10", "mean ms", "p95 ms");
        for (ModeResult m : modes) {
            t.row(m.mode(), m.ndcgAt10(), m.recallAt100(), m.mrrAt10(), ms(m.meanLatencyMillis()), ms(m.p95LatencyMillis()));
        }
        return t.render();
    }

    static String markdown(Result r) {
        StringBuilder out = new StringBuilder();
        out.append("# BEIR ").append(r.dataset()).append(" (").append(r.split()).append(")\n\n");
        out.append(table(r.modes())).append('\n');
        out.append("- queries: ").append(r.queries());
        if (r.queries() != r.judgedQueries()) {
            out.append(" of ").append(r.judgedQueries()).append(" judged (deterministic sample)");
        }
        out.append("; corpus: ").append(r.corpusDocs()).append(" documents in index `").append(r.index()).append("`\n");
        Indexing ix = r.indexing();
        if (ix.reused()) {
            out.append("- indexing: reused the existing index (").append(ix.alreadyIndexed()).append(" documents, ").append(ix.chunks())
                    .append(" chunks); run with --reindex to measure it\n");
        } else {
            out.append(String.format(Locale.ROOT, "- indexing: %d documents -> %d chunks in %.1f s = %.1f docs/s, %.1f chunks/s "
                    + "(chunk + embed + bulk index, single process)%s%n", ix.docs(), ix.chunks(), ix.seconds(), ix.docsPerSecond(), ix.chunksPerSecond(),
                    ix.alreadyIndexed() > 0 ? "; resumed a cut-short run, " + ix.alreadyIndexed() + " documents were already indexed" : ""));
        }
        out.append("- embedding: ").append(r.embeddingModel()).append("; chunking: ").append(r.chunking()).append('\n');
        out.append(hybridGain(r.modes()));
        out.append(String.format(Locale.ROOT, "- retrieval: %d candidates per side (the product fetches 50; Recall@100 needs 100); "
                + "hybrid = RRF k=60, BM25 0.3 / k-NN 0.7 (the product's default fusion); hybrid-rrf-equal = RRF with equal weights; *-knn70 = BM25 0.3 / k-NN 0.7; "
                + "hybrid-weighted = min-max normalized 0.5/0.5 over the same two lists%n", r.candidatesPerSide()));
        out.append(String.format(Locale.ROOT, "- latency per query, client side: query embedding (mean %.1f ms, counted in knn and hybrid rows) "
                + "+ OpenSearch _msearch round trip + fusion%n", r.meanQueryEmbedMillis()));
        out.append("- metrics as BEIR computes them (pytrec_eval nDCG with linear gains, recall, MRR), over documents: "
                + "chunk hits mapped to their document at its best rank; a hit on the query's own id is ignored\n");
        out.append("- run at ").append(r.createdAt()).append('\n');
        return out.toString();
    }

    /** How much the best hybrid mode beats the better of its two parts, per metric (empty when a mode is missing). */
    static String hybridGain(List<ModeResult> modes) {
        ModeResult bm25 = find(modes, "bm25");
        ModeResult knn = find(modes, "knn");
        ModeResult hybrid = find(modes, "hybrid");
        if (bm25 == null || knn == null || hybrid == null) {
            return "";
        }
        StringBuilder line = new StringBuilder("- hybrid (RRF) against the better of bm25 and knn:");
        for (String metric : METRICS) {
            double best = Math.max(bm25.metric(metric), knn.metric(metric));
            double h = hybrid.metric(metric);
            line.append(String.format(Locale.ROOT, " %s %+.4f (%+.1f%%)%s", metric, h - best, best == 0 ? 0 : 100 * (h - best) / best,
                    metric.equals(METRICS.getLast()) ? "" : ";"));
        }
        return line.append('\n').toString();
    }

    private static ModeResult find(List<ModeResult> modes, String name) {
        return modes.stream().filter(m -> m.mode().equals(name)).findFirst().orElse(null);
    }

    /** Any report record as indented JSON. */
    static void writeJson(Object report, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            BeirDataset.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + file, e);
        }
    }

    /** A grouped bar chart: metrics along the x axis, one bar per mode. */
    static void writeChart(Result r, Path file) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(520)
                .title("BEIR " + r.dataset() + " (" + r.split() + ", " + r.queries() + " queries)")
                .xAxisTitle("metric").yAxisTitle("score").build();
        styleScores(chart);
        for (ModeResult m : r.modes()) {
            chart.addSeries(m.mode(), METRICS, METRICS.stream().map(m::metric).toList());
        }
        savePng(chart, file);
    }

    static void savePng(CategoryChart chart, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + file, e);
        }
    }

    private static String ms(double millis) {
        return Double.isNaN(millis) ? "n/a" : String.format(Locale.ROOT, "%.1f", millis);
    }

    /** The look every evaluation chart shares: scores from 0 to 1 with their values on the bars, legend below. */
    static void styleScores(CategoryChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setYAxisDecimalPattern("0.00");
    }
}
