package ai.auraison.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** With no datasource configured the central runtime runs its own PostgreSQL, keeps its data, and leaves no orphan. */
class EmbeddedPostgresIT {

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(CentralRuntimeApplication.class)
                .run("--server.port=0", "--auraison.data-dir=" + dataDir);
    }

    private static Optional<ProcessHandle> postmaster(Path dataDir) throws Exception {
        Path pid = dataDir.resolve("postgres/postmaster.pid");
        if (!Files.exists(pid)) return Optional.empty();
        long value = Long.parseLong(Files.readAllLines(pid).getFirst().trim());
        return ProcessHandle.of(value).filter(ProcessHandle::isAlive);
    }

    @Test
    void keepsItsDataAcrossARestartAndStopsPostgresWithTheApp() throws Exception {
        Path dataDir = Files.createTempDirectory("central-embedded");

        ProcessHandle first;
        try (ConfigurableApplicationContext app = start(dataDir)) {
            JdbcClient jdbc = JdbcClient.create(app.getBean(javax.sql.DataSource.class));
            jdbc.sql("CREATE TABLE survives (note text)").update();
            jdbc.sql("INSERT INTO survives VALUES ('before restart')").update();
            first = postmaster(dataDir).orElseThrow();
            assertThat(first.isAlive()).isTrue();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> !first.isAlive());
        assertThat(postmaster(dataDir)).isEmpty();

        try (ConfigurableApplicationContext app = start(dataDir)) {
            JdbcClient jdbc = JdbcClient.create(app.getBean(javax.sql.DataSource.class));
            assertThat(jdbc.sql("SELECT note FROM survives").query(String.class).list())
                    .containsExactly("before restart");
        }
        assertThat(postmaster(dataDir)).isEmpty();
    }
}
