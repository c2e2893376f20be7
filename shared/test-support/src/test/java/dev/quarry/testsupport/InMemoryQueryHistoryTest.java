package dev.quarry.testsupport;

import dev.quarry.core.port.QueryHistory;

class InMemoryQueryHistoryTest extends QueryHistoryContract {

    @Override
    protected QueryHistory history() {
        return new InMemoryQueryHistory();
    }
}
