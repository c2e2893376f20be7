package dev.quarry.core.extract;

import dev.quarry.model.DocumentContext;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a document's {@link DocumentContext} from what it states: its metadata title, its file name,
 * and the registrant and period on its first pages (the cover page of an SEC filing, the date line of a
 * report). Heuristics only read, they never guess: a part not found stays null.
 */
public final class DocumentContexts {
    /** Pages read for the company and period: a filing's cover page, plus one page of slack. */
    public static final int FIRST_PAGES = 2;
    private static final int MAX_PART_CHARS = 100;
    private static final Pattern JUNK_TITLE = Pattern.compile(
            "(?i).*\\.(?:html?|docx?|pdf|indd|xlsx?|rtf|txt)$|untitled.*|document\\d*|microsoft word.*|slide \\d+|[\\d\\W_]*");
    /** "NIKE, Inc. (Exact name of Registrant ...)", or "AMCOR\nPLC (Exact name ...)" over two lines. */
    private static final Pattern REGISTRANT = Pattern.compile(
            "(?im)(?:^([^\\n()]{2,60})\\n)?^([^\\n()]{2,100}?)\\s*\\n?\\s*\\(exact name of (?:the )?registrant");
    private static final String MONTH = "(January|February|March|April|May|June|July|August|September|October|November|December)";
    private static final Pattern PERIOD = Pattern.compile("(?i)\\b(fiscal year|quarterly period|transition period|quarter|year"
            + "|(?:three|six|nine|twelve|thirteen|twenty-six|fifty-two|fifty-three) (?:months|weeks))\\s+ended:?\\s+"
            + MONTH + "\\s+(\\d{1,2}),?\\s+((?:19|20)\\d{2})");
    private static final Pattern REPORT_DATE = Pattern.compile("(?i)date of report[^:\\n]{0,60}:?\\s*"
            + MONTH + "\\s+(\\d{1,2}),?\\s+((?:19|20)\\d{2})");

    private DocumentContexts() {
    }

    /**
     * @param fileName       the uploaded file's name, e.g. {@code NIKE_2019_10K.pdf}
     * @param metadataTitle  the PDF's own title, or null
     * @param firstPagesText cleaned text of the first {@link #FIRST_PAGES} pages, or null
     */
    public static DocumentContext of(String fileName, String metadataTitle, String firstPagesText) {
        String title = readableName(fileName);
        if (metadataTitle != null && !JUNK_TITLE.matcher(metadataTitle.strip()).matches()) {
            String t = clip(metadataTitle.strip());
            title = title == null || t.equalsIgnoreCase(title) ? t : t + " (" + title + ")";
        }
        String text = firstPagesText == null ? "" : firstPagesText;
        return new DocumentContext(title, company(text), period(text));
    }

    /** "NIKE_2019_10K.pdf" -> "NIKE 2019 10K"; null when nothing readable is left. */
    static String readableName(String fileName) {
        if (fileName == null) {
            return null;
        }
        String base = fileName.replaceAll("(?i)\\.pdf$", "").replaceAll("[_\\s]+", " ").strip();
        return base.isEmpty() || !base.codePoints().anyMatch(Character::isLetterOrDigit) ? null : clip(base);
    }

    static String company(String text) {
        Matcher m = REGISTRANT.matcher(text);
        if (m.find()) {
            String name = m.group(2).strip().replaceAll("\\s+", " ");
            if (!name.contains(" ") && m.group(1) != null) {
                name = m.group(1).strip() + " " + name; // a one-word line such as "PLC" ends the name begun above
            }
            if (name.codePoints().anyMatch(Character::isLetter)) {
                return clip(name);
            }
        }
        return null;
    }

    /** "FOR THE FISCAL YEAR ENDED MAY 31, 2019" -> "fiscal year ended May 31, 2019 (FY2019)". */
    static String period(String text) {
        Matcher m = PERIOD.matcher(text);
        if (m.find()) {
            String kind = m.group(1).toLowerCase(Locale.ROOT);
            String date = month(m.group(2)) + " " + m.group(3) + ", " + m.group(4);
            String fy = kind.equals("fiscal year") || kind.equals("year") ? " (FY" + m.group(4) + ")" : "";
            return kind + " ended " + date + fy;
        }
        Matcher r = REPORT_DATE.matcher(text);
        if (r.find()) {
            return "report dated " + month(r.group(1)) + " " + r.group(2) + ", " + r.group(3);
        }
        return null;
    }

    private static String month(String m) {
        return m.substring(0, 1).toUpperCase(Locale.ROOT) + m.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String clip(String s) {
        return s.length() > MAX_PART_CHARS ? s.substring(0, MAX_PART_CHARS) : s;
    }
}
