package org.solstice.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void readsPostgresUrlsAndHidesThePassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://ci:s%40cret@db.internal:6432/solstice?sslmode=require", Path.of("/s"));

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/solstice?sslmode=require");
        assertThat(url.user()).isEqualTo("ci");
        assertThat(url.password()).isEqualTo("s@cret");
        assertThat(url.redacted()).doesNotContain("cret");
        assertThat(DatabaseUrl.parse("postgresql://h/d", Path.of("/s")).jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/d");
    }

    @Test
    void passesJdbcUrlsThroughAndDefaultsToH2UnderTheStateDirectory() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/d?password=x", Path.of("/s")).redacted())
                .isEqualTo("jdbc:postgresql://h/d?password=***");
        DatabaseUrl embedded = DatabaseUrl.parse("", Path.of("/var/lib/solstice"));
        assertThat(embedded.jdbcUrl()).startsWith("jdbc:h2:file:/var/lib/solstice/jobstore;");
        assertThat(embedded.isPostgres()).isFalse();
    }

    @Test
    void rejectsOtherSchemes() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://h/d", Path.of("/s")))
                .hasMessageContaining("DATABASE_URL").hasMessageContaining("mysql");
    }
}
