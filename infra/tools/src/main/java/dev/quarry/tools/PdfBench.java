package dev.quarry.tools;

import dev.quarry.config.EmbeddingProvider;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.quarry.adapters.opensearch.OpenSearchChunkIndex;
import dev.quarry.adapters.opensearch.OpenSearchClients;
import dev.quarry.adapters.opensearch.OpenSearchIndices;
import dev.quarry.ai.BertTokenCounter;
import dev.quarry.ai.Embedders;
import dev.quarry.core.chunk.ChunkSource;
import dev.quarry.core.chunk.Chunker;
import dev.quarry.core.chunk.ChunkingOptions;
import dev.quarry.core.extract.ExtractionLimits;
import dev.quarry.core.extract.PdfExtractor;
import dev.quarry.core.port.Embedder;
import dev.quarry.model.Chunk;
import dev.quarry.model.DocumentRejectedException;
import dev.quarry.model.IndexedChunk;
import dev.quarry.model.PageText;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Ingestion throughput over a folder of PDFs, phase by phase, with the product's classes and a
 * reference for each where one exists: extraction against poppler's pdftotext, the product
 * {@link Embedder} against the bare langchain4j model it wraps.
 */
final class PdfBench {
    static final int PAGES_PER_PART = 100; // quarry.extract.pages-per-part default

    private PdfBench() {
    }

    /** One extracted PDF: its parts as the extract function would write them. */
    record Extracted(String name, Path path, int pages, List<List<PageText>> parts, long chars) {
    }

    record Row(String phase, String implementation, String work, double seconds, String throughput, double peakHeapMiB) {
    }

    static void run(String[] argv) throws Exception {
        Args args = Args.parse(argv, Set.of("out", "opensearch", "sample", "batch"), Set.of());
        if (args.positional().size() != 1) {
            throw new Args.UsageException("give one folder of PDFs");
        }
        Path folder = Path.of(args.positional().getFirst());
        if (!Files.isDirectory(folder)) {
            throw new Args.UsageException(folder + " is not a folder");
        }
        int sampleSize = args.intValue("sample", 512);
        int batch = args.intValue("batch", 16); // quarry.embedding.batch-size default
        String endpoint = args.value("opensearch", "http://127.0.0.1:9200");
        Path out = args.value("out").map(Path::of).orElse(ProjectPaths.stateDir("bench"));

        List<Path> pdfs;
        try (Stream<Path> files = Files.list(folder)) {
            pdfs = files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pdf")).sorted().toList();
        }
        if (pdfs.isEmpty()) {
            throw new Args.UsageException("no .pdf file in " + folder);
        }
        System.out.printf(Locale.ROOT, "Bench pdfs: %d PDFs in %s; %d CPUs, max heap %d MiB%n", pdfs.size(), folder,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (1024 * 1024));

        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        PdfExtractor extractor = new PdfExtractor(ExtractionLimits.defaults());

        // Extraction with the product's extractor: inspect, then one extractPages per 100-page part, as the extract function does.
        warmUpExtractor(extractor, pdfs);
        System.out.println("Extracting with PdfExtractor (PDFBox) ...");
        List<Extracted> docs = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        HeapSampler heap = HeapSampler.start();
        long t0 = System.nanoTime();
        for (Path pdf : pdfs) {
            try {
                long d0 = System.nanoTime();
                Extracted d = extract(extractor, pdf);
                docs.add(d);
                System.out.printf(Locale.ROOT, "  %s: %d pages in %.1f s%n", d.name(), d.pages(), (System.nanoTime() - d0) / 1e9);
            } catch (DocumentRejectedException e) {
                rejected.add(pdf.getFileName() + " (" + e.getMessage() + ")");
            }
        }
        double extractSeconds = (System.nanoTime() - t0) / 1e9;
        double extractHeap = heap.stopMiB();
        int pages = docs.stream().mapToInt(Extracted::pages).sum();
        long chars = docs.stream().mapToLong(Extracted::chars).sum();
        double pdfboxRate = pages / extractSeconds;
        rows.add(new Row("extract", "PdfExtractor (PDFBox 3, + TextCleaner)", pages + " pages, " + docs.size() + " PDFs, " + chars + " chars",
                extractSeconds, rate(pdfboxRate, "pages/s"), extractHeap));
        if (!rejected.isEmpty()) {
            notes.add("Rejected by PdfExtractor, left out of every phase: " + String.join("; ", rejected));
        }

        // The same files through poppler, one process per file, in the same run.
        Double popplerRate = null;
        if (pdftotextAvailable()) {
            System.out.println("Extracting with pdftotext (poppler) ...");
            long p0 = System.nanoTime();
            long popplerChars = 0;
            for (Extracted d : docs) {
                popplerChars += pdftotext(d.path());
            }
            double s = (System.nanoTime() - p0) / 1e9;
            popplerRate = pages / s;
            rows.add(new Row("extract", "pdftotext -q file - (poppler, native)", pages + " pages, " + docs.size() + " PDFs, " + popplerChars + " chars",
                    s, rate(popplerRate, "pages/s"), Double.NaN));
        } else {
            notes.add("pdftotext is not installed, so there is no poppler reference: apt-get install -y poppler-utils");
            System.out.println("pdftotext is not installed; install it with: apt-get install -y poppler-utils");
        }

        // Chunking.
        System.out.println("Chunking ...");
        Chunker chunker = new Chunker(new BertTokenCounter(), ChunkingOptions.defaults());
        List<List<Chunk>> partChunks = new ArrayList<>();
        heap = HeapSampler.start();
        long c0 = System.nanoTime();
        List<Map.Entry<String, Double>> perDoc = new ArrayList<>();
        for (Extracted d : docs) {
            long d0 = System.nanoTime();
            int before = partChunks.stream().mapToInt(List::size).sum();
            for (int part = 0; part < d.parts().size(); part++) {
                partChunks.add(chunker.chunk(new ChunkSource("bench", d.name(), "v1", d.name(), part), d.parts().get(part)));
            }
            double s = (System.nanoTime() - d0) / 1e9;
            perDoc.add(Map.entry(d.name(), s));
            System.out.printf(Locale.ROOT, "  %s: %d pages -> %d chunks in %.1f s%n", d.name(), d.pages(),
                    partChunks.stream().mapToInt(List::size).sum() - before, s);
        }
        double chunkSeconds = (System.nanoTime() - c0) / 1e9;
        perDoc.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        notes.add("Slowest to chunk: " + String.join(", ", perDoc.subList(0, Math.min(3, perDoc.size())).stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue())).toList())
                + String.format(Locale.ROOT, " (of %.1f s in all)", chunkSeconds));
        double chunkHeap = heap.stopMiB();
        List<Chunk> chunks = partChunks.stream().flatMap(List::stream).toList();
        double meanTokens = chunks.stream().mapToInt(Chunk::tokenCount).average().orElse(0);
        rows.add(new Row("chunk", "Chunker 320/48, BERT token counts",
                String.format(Locale.ROOT, "%d chunks, mean %.0f tokens", chunks.size(), meanTokens),
                chunkSeconds, rate(chunks.size() / chunkSeconds, "chunks/s"), chunkHeap));
        if (chunks.isEmpty()) {
            throw new Tools.ToolException("The PDFs yielded no chunk; nothing to embed or index");
        }

        // Embedding: product Embedder vs the bare langchain4j model, same texts, same batches, interleaved.
        List<String> sample = sample(chunks, sampleSize).stream().map(Chunk::text).toList();
        System.out.printf(Locale.ROOT, "Embedding a fixed sample of %d chunks, batches of %d, product Embedder and raw model interleaved ...%n",
                sample.size(), batch);
        Embedder embedder = Embedders.create(EmbeddingProvider.ONNX, OpenSearchIndices.DEFAULT_EMBEDDING_MODEL, OpenSearchIndices.DEFAULT_DIMENSION, Optional.empty());
        EmbeddingModel raw = new BgeSmallEnV15QuantizedEmbeddingModel();
        List<String> warm = sample.subList(0, Math.min(batch, sample.size()));
        embedder.embedPassages(warm);
        raw.embedAll(warm.stream().map(TextSegment::from).toList());
        List<float[]> vectors = new ArrayList<>();
        long productNanos = 0;
        long rawNanos = 0;
        heap = HeapSampler.start();
        for (int i = 0; i < sample.size(); i += batch) {
            List<String> texts = sample.subList(i, Math.min(sample.size(), i + batch));
            List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
            boolean productFirst = (i / batch) % 2 == 0; // alternate the order so neither side always runs on a warmer cache
            if (!productFirst) {
                rawNanos += timeRaw(raw, segments);
            }
            long e0 = System.nanoTime();
            vectors.addAll(embedder.embedPassages(texts));
            productNanos += System.nanoTime() - e0;
            if (productFirst) {
                rawNanos += timeRaw(raw, segments);
            }
        }
        double embedHeap = heap.stopMiB();
        double productRate = sample.size() / (productNanos / 1e9);
        double rawRate = sample.size() / (rawNanos / 1e9);
        rows.add(new Row("embed", "product Embedder (LangChainEmbedder, onnx bge-small-en-v1.5-q)", sample.size() + " chunks, batch " + batch,
                productNanos / 1e9, rate(productRate, "chunks/s"), embedHeap));
        rows.add(new Row("embed", "raw BgeSmallEnV15QuantizedEmbeddingModel.embedAll", sample.size() + " chunks, batch " + batch,
                rawNanos / 1e9, rate(rawRate, "chunks/s"), embedHeap));
        notes.add("Embedding peak heap is for both models together (their batches are interleaved).");

        // Bulk indexing into a scratch index, deleted afterwards.
        Double indexRate = null;
        try (OpenSearchClients.Handle os = OpenSearchClients.local(endpoint)) {
            Tools.requireReachable(os.client(), endpoint);
            String scratch = "quarry-bench-" + System.currentTimeMillis();
            System.out.printf(Locale.ROOT, "Bulk indexing %d chunks into %s (one bulk request per part, as the index function) ...%n",
                    chunks.size(), scratch);
            OpenSearchIndices indices = new OpenSearchIndices(os.client(), scratch, scratch + "-unused-status", scratch + "-unused-queries");
            indices.ensureChunkIndex(embedder.modelId(), embedder.dimension());
            try {
                OpenSearchChunkIndex index = new OpenSearchChunkIndex(os.client(), indices, scratch);
                heap = HeapSampler.start();
                long i0 = System.nanoTime();
                int v = 0;
                for (List<Chunk> part : partChunks) {
                    List<IndexedChunk> batchOut = new ArrayList<>(part.size());
                    for (Chunk c : part) {
                        batchOut.add(new IndexedChunk(c, vectors.get(v++ % vectors.size())));
                    }
                    if (!batchOut.isEmpty()) {
                        index.index(batchOut);
                    }
                }
                os.client().indices().refresh(r -> r.index(scratch));
                double s = (System.nanoTime() - i0) / 1e9;
                double indexHeap = heap.stopMiB();
                indexRate = chunks.size() / s;
                rows.add(new Row("index", "OpenSearchChunkIndex bulk (+ final refresh)", chunks.size() + " chunks, " + partChunks.size() + " bulk requests",
                        s, rate(indexRate, "chunks/s"), indexHeap));
                notes.add("Indexed vectors are the sample's vectors reused in turn: the indexing cost does not depend on their values, "
                        + "and embedding every chunk would dominate the run.");
            } finally {
                os.client().indices().delete(d -> d.index(scratch));
            }
        } catch (Tools.ToolException e) {
            notes.add("Indexing not measured: " + e.getMessage());
            System.out.println("Skipping the indexing phase: " + e.getMessage());
        }

        List<String> ratios = new ArrayList<>();
        if (popplerRate != null) {
            ratios.add(String.format(Locale.ROOT, "extraction PdfExtractor / pdftotext: %.2fx (pages/s)", pdfboxRate / popplerRate));
        }
        ratios.add(String.format(Locale.ROOT, "embedding product Embedder / raw langchain4j model: %.2fx (chunks/s)", productRate / rawRate));

        String md = markdown(folder, pdfs.size(), rows, ratios, notes);
        System.out.println();
        System.out.println(md);
        Files.createDirectories(out);
        Files.writeString(out.resolve("bench-pdfs.md"), md);
        System.out.println("Wrote " + out.resolve("bench-pdfs.md"));
    }

    static String markdown(Path folder, int files, List<Row> rows, List<String> ratios, List<String> notes) {
        MarkdownTable t = new MarkdownTable("phase", "implementation", "work", "seconds", "throughput", "peak heap MiB");
        for (Row r : rows) {
            t.row(r.phase(), r.implementation(), r.work(), String.format(Locale.ROOT, "%.2f", r.seconds()), r.throughput(),
                    Double.isNaN(r.peakHeapMiB()) ? "n/a" : String.format(Locale.ROOT, "%.0f", r.peakHeapMiB()));
        }
        StringBuilder md = new StringBuilder("# Bench pdfs\n\n");
        md.append(t.render()).append('\n');
        for (String r : ratios) {
            md.append("- ").append(r).append('\n');
        }
        for (String n : notes) {
            md.append("- ").append(n).append('\n');
        }
        md.append(String.format(Locale.ROOT, "- %d PDFs from %s; %d CPUs; JVM %s, max heap %d MiB; peak heap = highest used heap sampled "
                        + "every 5 ms (MemoryMXBean) after a GC at the start of the phase%n", files, folder,
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getRuntimeMXBean().getVmVersion(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024)));
        md.append("- run at ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
        return md.toString();
    }

    private static Extracted extract(PdfExtractor extractor, Path pdf) {
        int pageCount = extractor.inspect(pdf).pageCount();
        List<List<PageText>> parts = new ArrayList<>();
        long chars = 0;
        for (int from = 1; from <= pageCount; from += PAGES_PER_PART) {
            List<PageText> part = extractor.extractPages(pdf, from, Math.min(pageCount, from + PAGES_PER_PART - 1)).pages();
            parts.add(part);
            chars += part.stream().mapToLong(p -> p.text().length()).sum();
        }
        String name = pdf.getFileName().toString();
        return new Extracted(name, pdf, pageCount, parts, chars);
    }

    private static void warmUpExtractor(PdfExtractor extractor, List<Path> pdfs) {
        Path smallest = pdfs.stream().min((a, b) -> Long.compare(size(a), size(b))).orElseThrow();
        try {
            extract(extractor, smallest);
        } catch (RuntimeException e) {
            // the timed pass reports it
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Every n-th chunk so the sample spans all documents; the same sample on every run. */
    static List<Chunk> sample(List<Chunk> chunks, int size) {
        if (chunks.size() <= size) {
            return chunks;
        }
        List<Chunk> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(chunks.get((int) ((long) i * chunks.size() / size)));
        }
        return out;
    }

    private static long timeRaw(EmbeddingModel raw, List<TextSegment> segments) {
        long t0 = System.nanoTime();
        raw.embedAll(segments);
        return System.nanoTime() - t0;
    }

    private static boolean pdftotextAvailable() {
        try {
            Process p = new ProcessBuilder("pdftotext", "-v").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs pdftotext on one file, reads all of its output, returns the number of characters. */
    private static long pdftotext(Path pdf) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("pdftotext", "-q", pdf.toString(), "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor();
        return text.length();
    }

    private static String rate(double perSecond, String unit) {
        return String.format(Locale.ROOT, "%.1f %s", perSecond, unit);
    }
}
