package dev.quarry.tools;

import java.util.Arrays;

/** Benchmarks of ingestion ({@code pdfs}) and of the query path ({@code query}); measurements are reported, never asserted. */
public final class Bench {
    static final String USAGE = String.join("\n",
            "usage: Bench pdfs <folder> [--out DIR] [--opensearch URL] [--sample 512] [--batch 16]",
            "       Bench query [--index NAME] [--queries FILE] [--n 200] [--concurrency 8] [--api URL --api-key KEY]",
            "                   [--tenant T] [--opensearch URL] [--candidates 50] [--out DIR]",
            "                   [--duration S --clients 16] [--during-ingest DIR]   load tests of S seconds each with that many",
            "                   clients instead of n requests, while the PDFs below DIR are ingested into tenant bench-ingest",
            "                   (default queries: ../shared/eval/scifact/queries.train.jsonl, relative to the project root)",
            "       Bench bigpdf <folder> [--pages 2400] [--out FILE]   one large real PDF to ingest (default .quarry/bench/)",
            "       " + ColdStartBench.USAGE);

    private Bench() {
    }

    public static void main(String[] argv) {
        Tools.init();
        String command = argv.length == 0 ? "" : argv[0];
        String[] rest = argv.length == 0 ? argv : Arrays.copyOfRange(argv, 1, argv.length);
        try {
            switch (command) {
                case "pdfs" -> PdfBench.run(rest);
                case "query" -> QueryBench.run(rest);
                case "bigpdf" -> BigPdf.run(rest);
                case "cold-start" -> ColdStartBench.run(rest);
                case "-h", "--help", "help" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> throw new Args.UsageException(command.isEmpty() ? "give a benchmark: pdfs, query, bigpdf or cold-start" : "unknown benchmark '" + command + "'");
            }
            System.exit(0);
        } catch (Args.UsageException e) {
            System.err.println("Bench: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (Exception e) {
            Tools.fail("Bench " + command, e);
            System.exit(1);
        }
    }
}
