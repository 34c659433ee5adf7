package org.solstice.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2JobStoreTest extends JobStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected JobStore openStore() {
        return JdbcJobStore.open(DatabaseUrl.parse(null, dir));
    }

    @Test
    void theEmbeddedStoreSurvivesAReopen() {
        JobRecord job = newJob(instance);
        store.accept(job);
        store.close();

        store = openStore();

        assertThat(store.find(job.requestId())).isPresent();
        assertThat(store.describe()).startsWith("embedded H2 jdbc:h2:file:" + dir.toAbsolutePath());
    }
}
