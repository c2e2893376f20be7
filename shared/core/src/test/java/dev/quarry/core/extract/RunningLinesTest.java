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
