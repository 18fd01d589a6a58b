package ai.auraison.testfixtures;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Real PostgreSQL for tests: one server per test JVM, a fresh database per caller (normally per test class).
 *
 * <p>By default the server is an embedded PostgreSQL 17 from the zonky binaries, started in-process on a free
 * loopback port. It works when tests run as root: zonky then runs {@code initdb} inside a user namespace
 * ({@code unshare -U}). With {@code -Dauraison.test.postgres=testcontainers} (or the environment variable
 * {@code AURAISON_TEST_POSTGRES=testcontainers}) and a Docker engine present, a Testcontainers PostgreSQL is used
 * instead.
 *
 * <p>The server stops with the JVM; if the JVM is killed, a watchdog process stops it within a second.
 *
 * <pre>{@code
 * static final TestDatabase DB = PostgresFixture.newDatabase();
 * }</pre>
 */
public final class PostgresFixture {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile Server server;

    private PostgresFixture() {}

    /** A new empty database on the shared server, named after the calling test class. */
    public static TestDatabase newDatabase() {
        String caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .getCallerClass()
                .getSimpleName();
        return newDatabase(caller);
    }

    /** A new empty database on the shared server whose name starts with {@code hint}. */
    public static TestDatabase newDatabase(String hint) {
        String name = (hint.replaceAll("[^A-Za-z0-9]", "_").toLowerCase(Locale.ROOT) + "_" + COUNTER.incrementAndGet()
                        + "_" + ProcessHandle.current().pid())
                .replaceAll("^([0-9])", "d$1");
        if (name.length() > 60) name = name.substring(name.length() - 60).replaceAll("^[^a-z]+", "d");
        Server s = server();
        try (Connection c = s.admin().getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + ": " + e.getMessage(), e);
        }
        return new TestDatabase(name, s.jdbcUrl(name), s.username(), s.password());
    }

    /** Drops {@code db}, closing its open connections. */
    public static void drop(TestDatabase db) {
        try (Connection c = server().admin().getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS \"" + db.name() + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test database " + db.name() + ": " + e.getMessage(), e);
        }
    }

    /** The port of the shared server, for tests that start processes against it. */
    public static int port() {
        return server().port();
    }

    private static Server server() {
        Server s = server;
        if (s == null) {
            synchronized (PostgresFixture.class) {
                s = server;
                if (s == null) {
                    s = useTestcontainers() ? TestcontainersServer.start() : EmbeddedServer.start();
                    server = s;
                }
            }
        }
        return s;
    }

    private static boolean useTestcontainers() {
        String choice = System.getProperty("auraison.test.postgres", System.getenv("AURAISON_TEST_POSTGRES"));
        return "testcontainers".equalsIgnoreCase(choice);
    }

    interface Server {
        DataSource admin();

        String jdbcUrl(String database);

        String username();

        String password();

        int port();
    }

    private record EmbeddedServer(EmbeddedPostgres pg) implements Server {

        static EmbeddedServer start() {
            try {
                // binaries unpack once into zonky's shared folder; the data lives and dies with this JVM
                Path workDir = Files.createTempDirectory("auraison-test-pg");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(workDir)));
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setDataDirectory(workDir.resolve("data"))
                        .setCleanDataDirectory(true)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "500")
                        .setServerConfig("shared_buffers", "128MB")
                        .setPGStartupWait(java.time.Duration.ofSeconds(60))
                        .start();
                Watchdog.guard(workDir.resolve("data"));
                return new EmbeddedServer(pg);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "could not start the embedded PostgreSQL for tests: " + e.getMessage(), e);
            }
        }

        private static void deleteQuietly(Path dir) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // best effort: a temp folder
            }
        }

        @Override
        public DataSource admin() {
            return pg.getPostgresDatabase();
        }

        @Override
        public String jdbcUrl(String database) {
            return pg.getJdbcUrl("postgres", database);
        }

        @Override
        public String username() {
            return "postgres";
        }

        @Override
        public String password() {
            return "postgres";
        }

        @Override
        public int port() {
            return pg.getPort();
        }
    }
}
