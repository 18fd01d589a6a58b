package ai.auraison.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The central jar on embedded defaults never leaves its PostgreSQL behind, however it stops, and its first start makes
 * the one key that opens it.
 */
class CentralLifecycleSystemIT {

    private static final Pattern KEY = Pattern.compile("ak_[a-z0-9]{8}_[A-Za-z0-9_-]{43}");

    private static int status(AppProcess app, String path, String key) throws Exception {
        var request = HttpRequest.newBuilder(app.url(path));
        if (key != null) request.header("Authorization", "Bearer " + key);
        return HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void printsABootstrapAdminKeyOnceAtFirstStartAndItOpensTheApi() throws Exception {
        Path dataDir = Files.createTempDirectory("central-sys");
        String key;
        try (AppProcess central = AppProcess.start("central-runtime", dataDir)) {
            Matcher m = KEY.matcher(central.log());
            assertThat(m.find()).as(central.logTail()).isTrue();
            key = m.group();
            assertThat(m.find()).as("printed once").isFalse();
            assertThat(status(central, "/api/v1/tenants", key)).isEqualTo(200);
            assertThat(status(central, "/api/v1/tenants", null)).isEqualTo(401);
            assertThat(status(central, "/actuator/health", null)).isEqualTo(200);
        }
        try (AppProcess again = AppProcess.start("central-runtime", dataDir)) {
            assertThat(KEY.matcher(again.log()).find()).isFalse();
            assertThat(status(again, "/api/v1/tenants", key)).isEqualTo(200);
        }
    }

    @Test
    void takesTheBootstrapAdminKeyFromTheEnvironmentAndNeverPrintsIt() throws Exception {
        Path dataDir = Files.createTempDirectory("central-sys");
        String key = "sys-it-bootstrap-key-" + java.util.UUID.randomUUID();
        try (AppProcess central =
                AppProcess.start("central-runtime", dataDir, Map.of("AURAISON_BOOTSTRAP_ADMIN_KEY", key))) {
            assertThat(central.log()).doesNotContain(key);
            assertThat(KEY.matcher(central.log()).find()).isFalse();
            assertThat(status(central, "/api/v1/tenants", key)).isEqualTo(200);
        }
    }

    private static Optional<ProcessHandle> postmaster(Path dataDir) throws Exception {
        Path pid = dataDir.resolve("postgres/postmaster.pid");
        if (!Files.exists(pid)) return Optional.empty();
        return ProcessHandle.of(
                        Long.parseLong(Files.readAllLines(pid).getFirst().trim()))
                .filter(ProcessHandle::isAlive);
    }

    @Test
    void stopsItsPostgresOnANormalStop() throws Exception {
        Path dataDir = Files.createTempDirectory("central-sys");
        ProcessHandle postgres;
        try (AppProcess central = AppProcess.start("central-runtime", dataDir)) {
            postgres = postmaster(dataDir).orElseThrow();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !postgres.isAlive());
    }

    @Test
    void leavesNoPostgresBehindWhenKilled() throws Exception {
        Path dataDir = Files.createTempDirectory("central-sys");
        AppProcess central = AppProcess.start("central-runtime", dataDir);
        ProcessHandle postgres = postmaster(dataDir).orElseThrow();
        central.kill();
        await().atMost(Duration.ofSeconds(20)).until(() -> !postgres.isAlive());
        assertThat(postmaster(dataDir)).isEmpty();

        try (AppProcess again = AppProcess.start("central-runtime", dataDir)) {
            assertThat(again.healthy()).isTrue();
        }
    }
}
