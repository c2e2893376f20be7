package dev.quarry.tools;

import dev.quarry.core.pipeline.Keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code scripts/quarry sweep <dir>...}: sends every PDF below the folders through the public API into a tenant
 * of its own and says how each ended: the count per final status and reason, the slowest files, and every
 * document not terminal within the bound (then the exit status is 1). For hostile input: nothing may stay
 * in the pipeline without an end.
 */
public final class Sweep {
    static final String USAGE = "usage: scripts/quarry sweep <dir>... [--tenant T] [--timeout-minutes N] [--out DIR]";
    static final int SLOWEST = 5;

    private Sweep() {
    }

    public static void main(String[] argv) {
        Tools.init();
        try {
            Args args = Args.parse(argv, Set.of("tenant", "timeout-minutes", "out", "api", "api-key"), Set.of("help"));
            if (args.flag("help")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (args.positional().isEmpty()) {
                throw new Args.UsageException("give one or more folders of PDFs");
            }
            System.exit(run(args));
        } catch (Args.UsageException e) {
            System.err.println("Sweep: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (Exception e) {
            Tools.fail("Sweep", e);
            System.exit(1);
        }
    }

    private static int run(Args args) throws Exception {
        List<Path> folders = args.positional().stream().map(Path::of).toList();
        Map<String, Path> named = new LinkedHashMap<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                throw new Args.UsageException(folder + " is not a folder");
            }
            named.putAll(documentNames(folder));
        }
        if (named.isEmpty()) {
            throw new Args.UsageException("no *.pdf file below " + folders);
        }
        String label = folders.getLast().getFileName().toString();
        String tenant = args.value("tenant").orElseGet(() -> "sweep-" + BeirDataset.indexSafe(label));
        if (!Keys.TENANT.matcher(tenant).matches()) {
            throw new Args.UsageException("tenant '" + tenant + "' is not one the API accepts: " + Keys.TENANT.pattern());
        }
        String url = args.value("api").orElseGet(() -> LocalApi.stackInfo().path("api").asText(null));
        if (url == null) {
            throw new Tools.ToolException("No running local stack (no .quarry/stack.json): start it with scripts/quarry up, "
                    + "or pass --api URL --api-key KEY");
        }
        LocalApi api = new LocalApi(url, args.value("api-key").orElseGet(() -> LocalApi.keyFor(tenant)));
        Duration bound = Duration.ofMinutes(args.intValue("timeout-minutes", 20));
        System.out.printf(Locale.ROOT, "Sweep: %d files from %s into tenant %s at %s, each must end within %d minutes%n",
                named.size(), folders, tenant, api.url(), bound.toMinutes());

        PdfQaIngest.Outcome outcome = new PdfQaIngest(api).run(named, true, bound, false);
        String markdown = report(folders, tenant, outcome);
        System.out.println();
        System.out.println(markdown);
        Path out = args.value("out").map(Path::of).orElse(ProjectPaths.stateDir("sweep"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("sweep-" + BeirDataset.indexSafe(label) + ".md"), markdown);
        return outcome.unfinished().isEmpty() ? 0 : 1;
    }

    /**
     * Every {@code *.pdf} below {@code folder} (any case), named by its path under it with "/" as "--", so that
     * files of the same name in two subfolders stay two documents.
     */
    static Map<String, Path> documentNames(Path folder) throws IOException {
        Map<String, Path> named = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pdf")).toList()) {
                named.put(folder.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "--"), f);
            }
        }
        return named;
    }

    static String report(List<Path> folders, String tenant, PdfQaIngest.Outcome outcome) {
        Map<String, Integer> byEnd = new TreeMap<>();
        for (PdfQaIngest.Document d : outcome.documents()) {
            byEnd.merge(d.status() + (d.errorCode() == null ? "" : " " + d.errorCode()), 1, Integer::sum);
        }
        outcome.unfinished().forEach((name, status) -> byEnd.merge("not ended (" + status + ")", 1, Integer::sum));

        StringBuilder md = new StringBuilder("# Sweep of ").append(folders).append("\n\n");
        MarkdownTable table = new MarkdownTable("final status", "documents");
        byEnd.forEach(table::row);
        md.append(table.render()).append('\n');

        List<PdfQaIngest.Document> timed = outcome.documents().stream().filter(d -> d.seconds() != null)
                .sorted(Comparator.comparingDouble(PdfQaIngest.Document::seconds).reversed()).limit(SLOWEST).toList();
        md.append("Slowest to end (seconds from the first upload):\n\n");
        for (PdfQaIngest.Document d : timed) {
            md.append(String.format(Locale.ROOT, "- %s: %s%s at %.1f s%n", d.name(), d.status(),
                    d.errorCode() == null ? "" : " " + d.errorCode(), d.seconds()));
        }
        md.append("\nReasons given:\n\n");
        Map<String, String> reasonOf = new TreeMap<>();
        for (PdfQaIngest.Document d : outcome.documents()) {
            if (d.errorCode() != null) {
                reasonOf.putIfAbsent(d.errorCode(), d.reason());
            }
        }
        reasonOf.forEach((code, reason) -> md.append("- ").append(code).append(": ").append(reason).append('\n'));
        if (!outcome.unfinished().isEmpty()) {
            md.append("\n**Not ended within the bound** (the sweep fails):\n\n");
            outcome.unfinished().forEach((name, status) -> md.append("- ").append(name).append(": ").append(status).append('\n'));
        }
        md.append(String.format(Locale.ROOT, "%n- %d files, tenant `%s`, all uploaded through the API (presigned PUT) and followed "
                + "to their end; %.1f s from the first upload to the last end%n- run at %s%n", outcome.documents().size()
                + outcome.unfinished().size(), tenant, outcome.seconds(), Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        return md.toString();
    }
}
