package dev.quarry.core.port;

/**
 * The tokens the models used while a piece of work ran on this thread: the embedding model's input tokens and the
 * answer model's input and output tokens, as the models report them (or as counted when a model reports none).
 * The model adapters {@link #embedding report} what each call used; the work that wants its usage (a question,
 * one part of a document) {@link #start starts a meter} around itself. Models are called on the caller's thread.
 */
public final class ModelUsage {
    private static final ThreadLocal<Meter> CURRENT = new ThreadLocal<>();

    private ModelUsage() {
    }

    /** Token counts; they only add up. */
    public record Tokens(long embedding, long answerInput, long answerOutput) {
        public static final Tokens NONE = new Tokens(0, 0, 0);

        public Tokens plus(Tokens other) {
            return new Tokens(embedding + other.embedding, answerInput + other.answerInput, answerOutput + other.answerOutput);
        }
    }

    /** Starts metering this thread's model calls until the meter is closed; a meter started inside another adds to it too. */
    public static Meter start() {
        Meter meter = new Meter(CURRENT.get());
        CURRENT.set(meter);
        return meter;
    }

    /** True while a meter is open on this thread: a model that must count its tokens itself need not count otherwise. */
    public static boolean metering() {
        return CURRENT.get() != null;
    }

    /** An embedding call used {@code tokens} input tokens. Not metered: nothing happens. */
    public static void embedding(long tokens) {
        add(new Tokens(tokens, 0, 0));
    }

    /** An answer model call read {@code input} tokens and wrote {@code output}. */
    public static void answer(long input, long output) {
        add(new Tokens(0, input, output));
    }

    private static void add(Tokens tokens) {
        for (Meter m = CURRENT.get(); m != null; m = m.outer) {
            m.tokens = m.tokens.plus(tokens);
        }
    }

    /** What this thread's models used since the meter started. */
    public static final class Meter implements AutoCloseable {
        private final Meter outer;
        private Tokens tokens = Tokens.NONE;

        private Meter(Meter outer) {
            this.outer = outer;
        }

        public Tokens tokens() {
            return tokens;
        }

        @Override
        public void close() {
            if (CURRENT.get() == this) {
                if (outer == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(outer);
                }
            }
        }
    }
}
