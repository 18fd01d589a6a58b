package ai.auraison.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The libpq connection string of a lake's PostgreSQL catalog, built from a JDBC URL, and its masking. */
class LakeCatalogTest {

    private static MemoryStore.Lake postgres(String url, String user, String password) {
        return MemoryStore.Lake.postgres(url, user, password, "memory_lake", "/data/lake/", null);
    }

    @Test
    void buildsAPlainConnectionStringAsBefore() {
        assertThat(postgres("jdbc:postgresql://db.internal:6432/auraison", "app", "secret")
                        .catalog())
                .isEqualTo("postgres:dbname=auraison host=db.internal port=6432 user=app password=secret");
        assertThat(postgres("jdbc:postgresql://db/auraison", "app", null).catalog())
                .isEqualTo("postgres:dbname=auraison host=db port=5432 user=app");
    }

    @Test
    void passesTheUrlsLibpqParametersThroughAndDropsTheJdbcOnes() {
        MemoryStore.Lake lake = postgres(
                "jdbc:postgresql://db:5432/auraison?sslmode=verify-full&sslrootcert=/etc/pg%20ca/root.crt"
                        + "&sslcert=/etc/pg/client.crt&sslkey=/etc/pg/client.key&connectTimeout=7"
                        + "&ApplicationName=auraison+central&prepareThreshold=0&user=ignored",
                "app", "secret");
        assertThat(lake.catalog())
                .isEqualTo("postgres:dbname=auraison host=db port=5432 user=app password=secret sslmode=verify-full"
                        + " sslrootcert='/etc/pg ca/root.crt' sslcert=/etc/pg/client.crt sslkey=/etc/pg/client.key"
                        + " connect_timeout=7 application_name='auraison central'");
        assertThat(postgres("jdbc:postgresql://db/a?connect_timeout=3&application_name=x", "u", null)
                        .catalog())
                .endsWith(" connect_timeout=3 application_name=x");
    }

    @Test
    void quotesValuesThatAreNotPlainWords() {
        assertThat(MemoryStore.Lake.libpqValue("plain-word_1")).isEqualTo("plain-word_1");
        assertThat(MemoryStore.Lake.libpqValue("")).isEqualTo("''");
        assertThat(MemoryStore.Lake.libpqValue("a b")).isEqualTo("'a b'");
        assertThat(MemoryStore.Lake.libpqValue("it's")).isEqualTo("'it\\'s'");
        assertThat(MemoryStore.Lake.libpqValue("back\\slash")).isEqualTo("'back\\\\slash'");
        assertThat(MemoryStore.Lake.libpqValue("tab\there")).isEqualTo("'tab\there'");
    }

    @Test
    void masksAQuotedPasswordWhole() {
        String password = "s3cr et' user=admin \\' tail";
        MemoryStore.Lake lake = postgres("jdbc:postgresql://db/auraison?sslmode=require", "app", password);
        assertThat(lake.catalog()).contains("password='s3cr et\\' user=admin \\\\\\' tail'");
        assertThat(lake.safeCatalog())
                .isEqualTo("postgres:dbname=auraison host=db port=5432 user=app password=*** sslmode=require");
        assertThat(lake.toString()).doesNotContain("s3cr", "admin", "tail");
    }

    @Test
    void masksThePasswordOfAConnectionStringGivenAsIs() {
        assertThat(new MemoryStore.Lake("host=db password=plain user=app", null, "/d/", null).safeCatalog())
                .isEqualTo("host=db password=*** user=app");
        assertThat(new MemoryStore.Lake("host=db password = 'a b' user=app", null, "/d/", null).safeCatalog())
                .isEqualTo("host=db password=*** user=app");
    }
}
