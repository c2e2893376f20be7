package dev.quarry.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code scripts/quarry eval <folder>}: one command for every dataset layout. A folder with
 * {@code questions.jsonl} and {@code pdfs/} is a PDF question set (FinanceBench) evaluated through
 * the API by {@link PdfQaEval}; anything else is taken for a BEIR folder ({@link BeirEval}), which
 * says what it misses.
 */
public final class Eval {
    /** Options of either tool whose value is a folder, so it is not mistaken for the dataset. */
    private static final Set<String> FOLDER_VALUED = Set.of("--out");

    private Eval() {
    }

    public static void main(String[] argv) {
        Path folder = datasetFolder(argv);
        if (folder != null && PdfQaDataset.recognises(folder)) {
            PdfQaEval.main(argv);
        } else {
            BeirEval.main(argv);
        }
    }

    /** The first argument that names an existing folder and is not the value of --out; null when there is none. */
    static Path datasetFolder(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (FOLDER_VALUED.contains(a)) {
                i++;
            } else if (!a.startsWith("--") && Files.isDirectory(Path.of(a))) {
                return Path.of(a);
            }
        }
        return null;
    }
}
