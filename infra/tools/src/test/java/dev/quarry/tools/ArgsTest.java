package dev.quarry.tools;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgsTest {

    @Test
    void separates_positionals_options_and_switches() {
        Args args = Args.parse(new String[] {"data/scifact", "--split", "train", "--reindex", "--max-queries=50"},
                Set.of("split", "max-queries"), Set.of("reindex"));

        assertThat(args.positional()).containsExactly("data/scifact");
        assertThat(args.value("split", "test")).isEqualTo("train");
        assertThat(args.intValue("max-queries", 10)).isEqualTo(50);
        assertThat(args.flag("reindex")).isTrue();
        assertThat(args.value("out")).isEmpty();
    }

    @Test
    void refuses_unknown_options_missing_values_and_non_numbers() {
        assertThatThrownBy(() -> Args.parse(new String[] {"--splt", "x"}, Set.of("split"), Set.of()))
                .isInstanceOf(Args.UsageException.class).hasMessage("unknown option --splt");
        assertThatThrownBy(() -> Args.parse(new String[] {"--split"}, Set.of("split"), Set.of()))
                .isInstanceOf(Args.UsageException.class).hasMessage("--split needs a value");
        Args args = Args.parse(new String[] {"--n", "ten"}, Set.of("n"), Set.of());
        assertThatThrownBy(() -> args.intValue("n", 1)).isInstanceOf(Args.UsageException.class);
    }
}
