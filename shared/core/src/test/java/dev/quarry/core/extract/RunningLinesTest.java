package dev.quarry.core.extract;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunningLinesTest {
    private static final String[] WORDS = {"zero", "alpha", "beta", "gamma", "delta", "epsilon", "zeta"};

    @Test
    void removes_headers_and_page_numbers_that_repeat_across_pages_but_keeps_body_text() {
        Map<Integer, String> pages = new HashMap<>();
        for (int p = 1; p <= 6; p++) {
            pages.put(p, "Chapter 5: R Add-On Packages " + (20 + p) + "\nBody text " + WORDS[p] + " about packages.\nMore " + WORDS[p] + ".\n" + p);
        }
        Map<Integer, String> out = RunningLines.strip(pages);

        assertThat(out.get(3)).isEqualTo("Body text gamma about packages.\nMore gamma.");
        assertThat(out.values()).noneMatch(t -> t.contains("Chapter 5"));
    }

    @Test
    void removes_a_chapter_header_with_page_numbers_even_when_its_chapter_is_a_small_share_of_the_range() {
        Map<Integer, String> pages = new HashMap<>();
        for (int p = 1; p <= 40; p++) {
            String header = p <= 30 ? "Chapter " + (p <= 10 ? 1 : p <= 20 ? 2 : 3) + ": Part " + WORDS[(p - 1) / 10] + " " + p
                    : "Chapter 5: R Add-On Packages " + p;
            pages.put(p, header + "\nBody text " + WORDS[p % WORDS.length] + " and " + WORDS[p / WORDS.length] + ".");
        }

        Map<Integer, String> out = RunningLines.strip(pages);

        assertThat(out.get(33)).isEqualTo("Body text " + WORDS[33 % WORDS.length] + " and " + WORDS[33 / WORDS.length] + ".");
        assertThat(out.values()).noneMatch(t -> t.contains("Chapter"));
    }

    @Test
    void keeps_an_edge_line_that_repeats_with_the_same_number_on_a_few_pages() {
        Map<Integer, String> pages = new HashMap<>();
        for (int p = 1; p <= 20; p++) {
            pages.put(p, (p <= 4 ? "See figure 3 for the wiring." : "Text " + WORDS[p % WORDS.length] + " " + p) + "\nBody " + p + ".");
        }

        Map<Integer, String> out = RunningLines.strip(pages);

        assertThat(out.get(2)).startsWith("See figure 3 for the wiring.");
    }

    @Test
    void leaves_short_ranges_and_unique_lines_alone() {
        Map<Integer, String> few = Map.of(1, "Header\nA", 2, "Header\nB");
        assertThat(RunningLines.strip(few)).isEqualTo(few);

        Map<Integer, String> unique = new HashMap<>();
        for (int p = 1; p <= 5; p++) {
            unique.put(p, "Section " + WORDS[p] + " title\nText about " + WORDS[p]);
        }
        assertThat(RunningLines.strip(unique)).isEqualTo(unique);

        Map<Integer, String> onlyNumbered = new HashMap<>();
        for (int p = 1; p <= 5; p++) {
            onlyNumbered.put(p, "This is page " + p);
        }
        assertThat(RunningLines.strip(onlyNumbered)).as("a page is never emptied").isEqualTo(onlyNumbered);
    }
}
