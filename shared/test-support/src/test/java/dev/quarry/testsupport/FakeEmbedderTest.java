package dev.quarry.testsupport;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FakeEmbedderTest {
    private final FakeEmbedder embedder = new FakeEmbedder();

    @Test
    void gives_the_same_unit_vector_for_the_same_text_every_time() {
        float[] a = embedder.embedQuery("Prime the pump before start");
        float[] b = new FakeEmbedder().embedPassages(List.of("Prime the pump before start")).get(0);

        assertThat(a).hasSize(384).containsExactly(b);
        assertThat(norm(a)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void texts_sharing_words_are_closer_than_texts_sharing_none() {
        float[] query = embedder.embedQuery("pump pressure");

        double related = dot(query, embedder.embed("The pump pressure is six bar"));
        double unrelated = dot(query, embedder.embed("Holiday calendar for next year"));

        assertThat(related).isGreaterThan(0.5);
        assertThat(related).isGreaterThan(unrelated);
    }

    @Test
    void ignores_case_and_punctuation() {
        assertThat(embedder.embed("Pump, PRESSURE!")).containsExactly(embedder.embed("pump pressure"));
    }

    @Test
    void empty_text_still_gets_a_unit_vector() {
        assertThat(norm(embedder.embed(""))).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void records_the_size_of_every_passage_batch() {
        embedder.embedPassages(List.of("a", "b", "c"));
        embedder.embedPassages(List.of("d"));

        assertThat(embedder.passageBatches()).containsExactly(3, 1);
    }

    @Test
    void an_embedder_made_for_another_dimension_gives_unit_vectors_of_that_dimension() {
        FakeEmbedder titan = new FakeEmbedder("amazon.titan-embed-text-v2:0", 256);

        assertThat(titan.embedQuery("pump pressure")).hasSize(256);
        assertThat(titan.embedPassages(List.of("pump pressure", "holiday calendar")))
                .allSatisfy(v -> assertThat(norm(v)).isCloseTo(1.0, within(1e-5)))
                .allSatisfy(v -> assertThat(v).hasSize(256));
    }

    @Test
    void refuses_a_dimension_below_one() {
        assertThatThrownBy(() -> new FakeEmbedder("m", 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    private static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
