package ai.auraison.central.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of the zero-configuration central runtime (zonky binaries, PostgreSQL 17): data under
 * {@code <data-dir>/postgres} (kept across restarts), binaries unpacked under {@code <data-dir>/postgres-runtime},
 * loopback only.
 *
 * <p>No orphans: a normal stop shuts the server down with the app; if the app is killed, a watchdog process stops
 * the server within about a second; and a server left running by an earlier crash is stopped before a new one starts.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    static final String USER = "postgres";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    static EmbeddedPostgresServer start(Path root, int port) {
        Path data = root.resolve("postgres");
        Path runtime = root.resolve("postgres-runtime");
        try {
            Files.createDirectories(runtime);
            stopLeftover(data);
            var builder = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(runtime.toFile())
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    // durable: zonky's test defaults (fsync and synchronous_commit off) could lose acknowledged work
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (port > 0) builder.setPort(port);
            long started = System.nanoTime();
            EmbeddedPostgres pg = builder.start();
            watch(data);
            log.info(
                    "embedded PostgreSQL on 127.0.0.1:{} with data in {} ({} ms)",
                    pg.getPort(),
                    data,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            return new EmbeddedPostgresServer(pg, data);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not start the embedded PostgreSQL in " + data + ": " + e.getMessage(), e);
        }
    }

    String jdbcUrl() {
        // multi-row inserts for JDBC batches (the event log is written in batches)
        return postgres.getJdbcUrl(USER, "postgres") + "&reWriteBatchedInserts=true";
    }

    int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        log.info("stopping the embedded PostgreSQL");
        postgres.close();
    }

    /** The postmaster pid recorded in the data directory, if a server is running there. */
    static Optional<ProcessHandle> runningServer(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) return Optional.empty();
            String first =
                    Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void stopLeftover(Path data) {
        runningServer(data).ifPresent(p -> {
            log.warn("a PostgreSQL (pid {}) from an earlier run still uses {}; stopping it", p.pid(), data);
            signal(p.pid(), "INT");
            try {
                p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("PostgreSQL pid " + p.pid() + " in " + data + " did not stop", e);
            }
        });
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A shell process that stops the server once this JVM is gone, however it died. */
    private static void watch(Path data) throws IOException {
        long jvm = ProcessHandle.current().pid();
        String pidFile = data.resolve("postmaster.pid").toString().replace("'", "'\\''");
        String script = "while kill -0 " + jvm + " 2>/dev/null; do sleep 1; done; " + "[ -f '" + pidFile
                + "' ] && kill -INT \"$(head -n1 '" + pidFile + "')\" 2>/dev/null; exit 0";
        new ProcessBuilder("sh", "-c", script)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
