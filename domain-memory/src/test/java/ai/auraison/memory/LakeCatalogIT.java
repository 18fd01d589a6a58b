package ai.auraison.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake's PostgreSQL catalog reached through libpq with the connection string built from a JDBC URL: the URL's SSL
 * mode takes effect and a password that is not a plain word survives. The test server speaks no SSL and trusts local
 * connections (so any password is accepted once libpq has parsed it).
 */
class LakeCatalogIT {

    static final TestDatabase DB = PostgresFixture.newDatabase("memory_lake_catalog");

    @TempDir
    Path dir;

    @AfterAll
    static void drop() {
        PostgresFixture.drop(DB);
    }

    private MemoryStore.Settings settings(String schema, String urlParameters, String password) {
        String url = DB.jdbcUrl() + (DB.jdbcUrl().contains("?") ? "&" : "?") + urlParameters;
        return new MemoryStore.Settings(
                MemoryStore.Mode.DUCKLAKE,
                null,
                MemoryStore.Lake.postgres(url, DB.username(), password, schema, dir.resolve("lake") + "/", null),
                TestStores.extensions(),
                dir.resolve("tmp"),
                "1GB");
    }

    @Test
    void theUrlsSslModeReachesLibpq() {
        assertThatThrownBy(() -> MemoryStore.open(settings("lake_ssl", "sslmode=require", DB.password()))
                        .close())
                .hasMessageContaining("SSL");
        try (MemoryStore store = MemoryStore.open(settings("lake_ssl", "sslmode=disable", DB.password()))) {
            assertThat(store.isLake()).isTrue();
            assertThat(store.description()).contains("sslmode=disable");
        }
    }

    @Test
    void aPasswordWithSpacesAndQuotesIsPassedWholeAndNeverShown() {
        String password = "pa ss' word=x \\";
        try (MemoryStore store = MemoryStore.open(settings("lake_password", "ApplicationName=lake-it", password))) {
            assertThat(store.isLake()).isTrue();
            assertThat(store.description()).contains("password=***").doesNotContain("pa ss", "word=x");
            assertThat(store.identity()).doesNotContain("pa ss", "word=x");
        }
    }
}
