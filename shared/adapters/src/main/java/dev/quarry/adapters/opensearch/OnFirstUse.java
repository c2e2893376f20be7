package dev.quarry.adapters.opensearch;

/**
 * Runs its action before the first use of a store and never again once it succeeded: each store
 * creates its index (from its definition, never by auto-creation) before its first read or write.
 * A failed attempt is tried again on the next use.
 */
final class OnFirstUse {
    private final Runnable action;
    private volatile boolean done;

    OnFirstUse(Runnable action) {
        this.action = action;
    }

    void ensure() {
        if (!done) {
            action.run();
            done = true;
        }
    }
}
