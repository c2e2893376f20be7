package dev.quarry.testsupport;

import dev.quarry.core.port.StatusStore;

class InMemoryStatusStoreTest extends StatusStoreContract {

    @Override
    protected StatusStore store() {
        return new InMemoryStatusStore();
    }
}
