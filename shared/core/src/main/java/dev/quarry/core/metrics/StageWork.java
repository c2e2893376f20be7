package dev.quarry.core.metrics;

/**
 * What a stage did for the record it is working on (pages read, chunks written), told by the stage where it knows
 * it, counted by the batch processor that {@link #start starts a tally} around each try. Stages run a record on the
 * processor's thread; outside a tally nothing happens. (The same shape as {@code ModelUsage}, which carries the
 * embedding tokens.)
 */
public final class StageWork {
    private static final ThreadLocal<Tally> CURRENT = new ThreadLocal<>();

    private StageWork() {
    }

    /** The stage read {@code count} pages of a PDF. */
    public static void pages(int count) {
        Tally tally = CURRENT.get();
        if (tally != null) {
            tally.pages += count;
        }
    }

    /** The stage wrote, embedded or indexed {@code count} chunks. */
    public static void chunks(int count) {
        Tally tally = CURRENT.get();
        if (tally != null) {
            tally.chunks += count;
        }
    }

    /** Counts this thread's work until the tally is closed. */
    public static Tally start() {
        Tally tally = new Tally(CURRENT.get());
        CURRENT.set(tally);
        return tally;
    }

    /** The work told since the tally started. */
    public static final class Tally implements AutoCloseable {
        private final Tally outer;
        private long pages;
        private long chunks;

        private Tally(Tally outer) {
            this.outer = outer;
        }

        public long pages() {
            return pages;
        }

        public long chunks() {
            return chunks;
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
