package dev.quarry.retrieval.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FollowUpsTest {
    private static final Turn REVENUE_2018 = new Turn("What was Nike's revenue in fiscal 2018?",
            "What was Nike's revenue in fiscal 2018?", "Revenues 36,397 [1]");

    @Test
    void a_follow_up_that_names_another_period_takes_the_previous_question_with_that_period() {
        assertThat(FollowUps.resolve("and in 2019?", List.of(REVENUE_2018))).isEqualTo("What was Nike's revenue in 2019?");
        assertThat(FollowUps.resolve("What about FY2021?", List.of(REVENUE_2018)))
                .isEqualTo("What was Nike's revenue in FY2021?");
    }

    @Test
    void another_short_follow_up_is_searched_with_the_previous_question() {
        assertThat(FollowUps.resolve("and its gross margin?", List.of(REVENUE_2018)))
                .isEqualTo("What was Nike's revenue in fiscal 2018? and its gross margin?");
    }

    @Test
    void the_previous_turns_resolved_question_is_the_base_so_follow_ups_chain() {
        Turn resolved = new Turn("and in 2019?", "What was Nike's revenue in 2019?", "Revenues 39,117 [1]");
        assertThat(FollowUps.resolve("and 2020?", List.of(REVENUE_2018, resolved)))
                .isEqualTo("What was Nike's revenue in 2020?");
    }

    @Test
    void a_question_that_stands_on_its_own_or_has_no_history_is_searched_as_asked() {
        String full = "How many employees did Costco have at the end of fiscal 2021 worldwide?";
        assertThat(FollowUps.resolve(full, List.of(REVENUE_2018))).isEqualTo(full);
        assertThat(FollowUps.resolve("and in 2019?", List.of())).isEqualTo("and in 2019?");
    }
}
