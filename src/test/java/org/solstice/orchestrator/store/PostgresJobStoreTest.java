package org.solstice.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.testing.Postgres;

/** The store contract against a real PostgreSQL (see {@link Postgres} for where it is found). */
class PostgresJobStoreTest extends JobStoreContractTest {
    @Override
    protected JobStore openStore() {
        return JdbcJobStore.open(Postgres.freshSchema());
    }

    @Test
    void aDatabaseThatDoesNotAnswerAtOpenIsUnavailableSoTheDaemonWaitsForIt() {
        DatabaseUrl nobody = Postgres.viaPort(Postgres.freshSchema(), 1); // nothing listens on port 1

        assertThatThrownBy(() -> JdbcJobStore.open(nobody)).isInstanceOf(StoreException.class)
                .hasMessageContaining("unreachable")
                .matches(e -> ((StoreException) e).isUnavailable(), "is unavailable");
    }
}
