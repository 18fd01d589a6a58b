package ai.auraison.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The central jar on embedded defaults never leaves its PostgreSQL behind, however it stops. */
class CentralLifecycleSystemIT {

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
