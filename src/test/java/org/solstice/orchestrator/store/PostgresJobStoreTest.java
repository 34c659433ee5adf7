package org.solstice.orchestrator.store;

import org.solstice.orchestrator.testing.Postgres;

/** The store contract against a real PostgreSQL (see {@link Postgres} for where it is found). */
class PostgresJobStoreTest extends JobStoreContractTest {
    @Override
    protected JobStore openStore() {
        return JdbcJobStore.open(Postgres.freshSchema());
    }
}
