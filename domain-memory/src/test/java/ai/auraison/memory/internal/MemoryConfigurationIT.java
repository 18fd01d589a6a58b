package ai.auraison.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.memory.MemoryProperties;
import ai.auraison.memory.MemoryStore;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.env.MockEnvironment;

/** Which modes set up the DuckLake with its catalog in the app's PostgreSQL (a connection and a CREATE SCHEMA). */
class MemoryConfigurationIT {

    static final TestDatabase DB = PostgresFixture.newDatabase("memory_configuration");

    @TempDir
    Path dir;

    @AfterAll
    static void drop() {
        PostgresFixture.drop(DB);
    }

    @ParameterizedTest
    @CsvSource({"DUCKDB, false", "AUTO, true", "DUCKLAKE, true"})
    void onlyModesThatMayOpenALakeSetItUp(MemoryStore.Mode mode, boolean lake) throws SQLException {
        String schema = "lake_" + mode.name().toLowerCase(Locale.ROOT);
        MemoryProperties properties = new MemoryProperties(
                mode,
                null,
                null,
                "1GB",
                new MemoryProperties.Lake(
                        "postgres", schema, null, new MemoryProperties.S3(null, "us-east-1", null, null, true, true)),
                new MemoryProperties.ProjectorSettings(true, 5000, 50000, Duration.ofMillis(200)),
                new MemoryProperties.Sql(Duration.ofSeconds(10), 10000));
        MockEnvironment env = new MockEnvironment()
                .withProperty("spring.datasource.url", DB.jdbcUrl())
                .withProperty("spring.datasource.username", DB.username())
                .withProperty("spring.datasource.password", DB.password());

        MemoryStore.Lake built = MemoryConfiguration.lakeIfUsed(properties, dir, DB.dataSource(), env);

        assertThat(built != null).isEqualTo(lake);
        if (lake) assertThat(built.toString()).contains("dbname=" + DB.name());
        assertThat(schemaExists(schema)).isEqualTo(lake);
    }

    private static boolean schemaExists(String schema) throws SQLException {
        try (Connection c = DB.connect();
                PreparedStatement p =
                        c.prepareStatement("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            p.setString(1, schema);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1) == 1;
            }
        }
    }
}
