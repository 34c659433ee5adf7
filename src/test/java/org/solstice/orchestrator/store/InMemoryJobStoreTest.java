package org.solstice.orchestrator.store;

/** The in-memory fake obeys the store contract, so unit tests built on it hold for the real drivers. */
class InMemoryJobStoreTest extends JobStoreContractTest {
    @Override
    protected JobStore openStore() {
        return new InMemoryJobStore();
    }
}
