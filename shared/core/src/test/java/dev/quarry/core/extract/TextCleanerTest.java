package dev.quarry.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextCleanerTest {

    @Test
    void replaces_ligatures_with_plain_letters() {
        assertThat(TextCleaner.clean("\uFB01nd the \uFB02ow, \uFB00ect")).isEqualTo("find the flow, ffect");
    }

    @Test
    void joins_words_hyphenated_at_line_end() {
        assertThat(TextCleaner.clean("an exam-\nple of hy-  \n  phenation")).isEqualTo("an example of hyphenation");
    }

    @Test
    void keeps_hyphens_inside_a_line() {
        assertThat(TextCleaner.clean("a well-known state-of-the-art tool")).isEqualTo("a well-known state-of-the-art tool");
    }

    @Test
    void keeps_a_real_hyphen_that_ends_a_line_after_an_acronym_or_before_a_capital() {
        assertThat(TextCleaner.clean("SSH-\nforbindelse")).isEqualTo("SSH-forbindelse");
        assertThat(TextCleaner.clean("Jean-\nPaul")).isEqualTo("Jean-Paul");
        assertThat(TextCleaner.clean("1990-\n1995")).isEqualTo("1990-1995");
    }

    @Test
    void joins_soft_hyphenated_words() {
        assertThat(TextCleaner.clean("hyphen\u00ADation and exam\u00AD\nple")).isEqualTo("hyphenation and example");
    }

    @Test
    void turns_line_breaks_inside_a_paragraph_into_spaces_and_keeps_paragraph_breaks() {
        String raw = "First line\nsecond line\r\nthird line\n\n\n\n  Next paragraph\n \n\nLast";

        assertThat(TextCleaner.clean(raw)).isEqualTo("First line second line third line\n\nNext paragraph\n\nLast");
    }

    @Test
    void joins_chinese_lines_without_a_space_but_keeps_one_before_latin_text() {
        assertThat(TextCleaner.clean("中文句子\n第二句话。\nEnglish\nline")).isEqualTo("中文句子第二句话。 English line");
    }

    @Test
    void removes_control_and_invisible_characters_but_keeps_newlines() {
        assertThat(TextCleaner.clean("a\u0000b\u0007c\u200Bd\uFEFFe\n\nf")).isEqualTo("abcde\n\nf");
    }

    @Test
    void collapses_runs_of_spaces_tabs_and_no_break_spaces_and_trims() {
        assertThat(TextCleaner.clean("  \t a \t  b\u00A0\u00A0c\u2003d  ")).isEqualTo("a b c d");
    }

    @Test
    void turns_form_feeds_into_paragraph_breaks() {
        assertThat(TextCleaner.clean("page one\fpage two")).isEqualTo("page one\n\npage two");
    }

    @Test
    void composes_combining_marks_separated_by_a_removed_character() {
        assertThat(TextCleaner.clean("e\u0000\u0301")).isEqualTo("\u00E9");
    }

    @Test
    void returns_empty_string_for_null_blank_and_whitespace_only_input() {
        assertThat(TextCleaner.clean(null)).isEmpty();
        assertThat(TextCleaner.clean("")).isEmpty();
        assertThat(TextCleaner.clean(" \n\t\n\n \u00A0 ")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "exam-\nple", "a -\nb", "x-\n\ny", "\uFB01-\nne", "e\n\u0301", "  \u00A8 x", "中\n 文 \n\n 字",
        "a\u00AD\u0301", "Line\u2028next\u2029para", "\r\r\n\n", "-\n-\n-", "A-\nb-\nc"
    })
    void cleaning_twice_changes_nothing(String raw) {
        String once = TextCleaner.clean(raw);
        assertThat(TextCleaner.clean(once)).isEqualTo(once);
    }

    @Test
    void cleaning_twice_changes_nothing_for_random_text() {
        String alphabet = "aZé\u0301 \t\n\r-\u00AD\uFB01\u00A0\u2003\u0000\u200B中文カ\u3099.,1\u2028\u2029\f\u00A8\uD83D\uDE00\uD800";
        Random random = new Random(42);
        for (int n = 0; n < 5000; n++) {
            StringBuilder raw = new StringBuilder();
            int length = random.nextInt(30);
            for (int i = 0; i < length; i++) {
                raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String once = TextCleaner.clean(raw.toString());
            assertThat(TextCleaner.clean(once)).as("clean(clean(%s))", escape(raw.toString())).isEqualTo(once);
            assertThat(once).doesNotContain("\n\n\n").doesNotStartWith(" ").doesNotEndWith(" ").doesNotContain("  ");
        }
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c < 0x20 || c > 0x7E ? String.format("\\u%04X", c) : String.valueOf((char) c)));
        return out.toString();
    }

    @Test
    void keeps_each_table_row_and_heading_on_its_own_line_and_drops_dot_leaders() {
        String raw = "CONSOLIDATED BALANCE SHEETS\n(Dollars in millions) 2019 2018\nCurrent assets:\n"
                + "Cash and equivalents.............. $ 4,466 $ 4,249\nInventories 5,622 5,261\n"
                + "Total current assets 16,525 15,134\nThe accompanying notes are an integral\npart of this statement.";
        assertThat(TextCleaner.clean(raw)).isEqualTo("CONSOLIDATED BALANCE SHEETS\n(Dollars in millions) 2019 2018\n"
                + "Current assets:\nCash and equivalents $ 4,466 $ 4,249\nInventories 5,622 5,261\n"
                + "Total current assets 16,525 15,134\nThe accompanying notes are an integral part of this statement.");
    }

    @Test
    void keeps_a_three_dot_ellipsis() {
        assertThat(TextCleaner.clean("wait... and see")).isEqualTo("wait... and see");
    }
}
