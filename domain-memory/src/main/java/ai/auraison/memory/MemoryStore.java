package ai.auraison.memory;

import static java.nio.charset.StandardCharsets.UTF_8;

import ai.auraison.memory.internal.MemorySchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the projection lives: one in-process DuckDB engine with the projection attached as catalog {@code mem}, either
 * a DuckDB file (the embedded default) or a DuckLake (catalog in PostgreSQL or a local file, data as Parquet on a local
 * path or an S3-compatible bucket). Extensions are loaded only from {@link Settings#extensionDirectory()}, never
 * downloaded (ADR 0040).
 *
 * <p>Thread-safe: every caller takes its own {@link #connect() connection}; DuckDB isolates them (snapshot isolation).
 */
public final class MemoryStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MemoryStore.class);

    /** Which store to open. */
    public enum Mode {
        /** DuckLake when the ducklake extension is in the extension directory, otherwise a DuckDB file. */
        AUTO,
        /** A DuckDB file. */
        DUCKDB,
        /** A DuckLake; fails when the extension is missing. */
        DUCKLAKE
    }

    /**
     * An S3-compatible bucket for a lake's data (RustFS, MinIO, R2, S3).
     *
     * @param endpoint host and port, without scheme ({@code localhost:9000}); null for AWS
     * @param region the region ({@code auto} for R2)
     * @param accessKeyId the access key id
     * @param secretAccessKey the secret key
     * @param useSsl whether to speak HTTPS
     * @param pathStyle whether to address the bucket in the path (RustFS, MinIO) rather than the host name
     */
    public record ObjectStore(
            String endpoint,
            String region,
            String accessKeyId,
            String secretAccessKey,
            boolean useSsl,
            boolean pathStyle) {
        @Override
        public String toString() {
            return "ObjectStore[" + endpoint + ", " + region + "]";
        }
    }

    /**
     * A DuckLake.
     *
     * @param catalog the metadata catalog after {@code ducklake:}: {@code postgres:<libpq connection string>} or the
     *     path of a local DuckDB catalog file
     * @param metadataSchema the schema of the catalog's tables in PostgreSQL; null for the default
     * @param dataPath where Parquet files go: a local folder or {@code s3://bucket/prefix/}
     * @param objectStore credentials for an {@code s3://} data path; null otherwise
     */
    public record Lake(String catalog, String metadataSchema, String dataPath, ObjectStore objectStore) {
        public Lake {
            Objects.requireNonNull(catalog, "catalog");
            Objects.requireNonNull(dataPath, "dataPath");
        }

        /**
         * The JDBC URL parameters that reach libpq, by their JDBC or libpq name: the catalog's connection must be as
         * secure as the application's (sslmode and its files), and as identifiable.
         */
        private static final Map<String, String> LIBPQ_PARAMETERS = Map.of(
                "sslmode", "sslmode",
                "sslcert", "sslcert",
                "sslkey", "sslkey",
                "sslrootcert", "sslrootcert",
                "connect_timeout", "connect_timeout",
                "connectTimeout", "connect_timeout",
                "application_name", "application_name",
                "ApplicationName", "application_name");

        private static final Pattern PASSWORD = Pattern.compile("password\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'?|\\S*)");

        /**
         * A lake whose catalog lives in PostgreSQL, given by its JDBC URL ({@code jdbc:postgresql://host:port/db}),
         * in {@code metadataSchema}. Of the URL's parameters, the SSL ones, the connect timeout and the application
         * name reach libpq; the others are PostgreSQL JDBC's own.
         */
        public static Lake postgres(
                String jdbcUrl,
                String user,
                String password,
                String metadataSchema,
                String dataPath,
                ObjectStore store) {
            var m = Pattern.compile("^jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]+)(?:\\?(.*))?$")
                    .matcher(jdbcUrl);
            if (!m.matches()) throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
            StringBuilder libpq = new StringBuilder("postgres:dbname=").append(libpqValue(m.group(3)));
            libpq.append(" host=").append(libpqValue(m.group(1)));
            libpq.append(" port=").append(m.group(2) == null ? "5432" : m.group(2));
            if (user != null) libpq.append(" user=").append(libpqValue(user));
            if (password != null && !password.isEmpty())
                libpq.append(" password=").append(libpqValue(password));
            if (m.group(4) != null) {
                Map<String, String> options = new LinkedHashMap<>();
                for (String parameter : m.group(4).split("&")) {
                    int eq = parameter.indexOf('=');
                    if (eq <= 0) continue;
                    String name = LIBPQ_PARAMETERS.get(URLDecoder.decode(parameter.substring(0, eq), UTF_8));
                    if (name != null) options.put(name, URLDecoder.decode(parameter.substring(eq + 1), UTF_8));
                }
                options.forEach((name, value) ->
                        libpq.append(' ').append(name).append('=').append(libpqValue(value)));
            }
            return new Lake(libpq.toString(), metadataSchema, dataPath, store);
        }

        /**
         * A value in a libpq connection string: as is when it is a plain word, otherwise in single quotes, with
         * backslashes and single quotes escaped by a backslash.
         */
        static String libpqValue(String value) {
            if (!value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '\\')) {
                return value;
            }
            return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }

        /** The catalog without its password (quoted or not), for logs and lock keys. */
        String safeCatalog() {
            return PASSWORD.matcher(catalog).replaceAll("password=***");
        }

        @Override
        public String toString() {
            return "Lake[" + safeCatalog() + ", " + dataPath + "]";
        }
    }

    /**
     * What to open.
     *
     * @param mode which store
     * @param file the DuckDB file (modes AUTO and DUCKDB)
     * @param lake the lake (modes AUTO and DUCKLAKE)
     * @param extensionDirectory DuckDB's extension directory ({@code v<engine>/<platform>/*.duckdb_extension})
     * @param tempDirectory where DuckDB spills when memory is short
     * @param memoryLimit DuckDB's memory limit, such as {@code 1GB}; null for DuckDB's default (80 % of RAM)
     */
    public record Settings(
            Mode mode, Path file, Lake lake, Path extensionDirectory, Path tempDirectory, String memoryLimit) {}

    private final DuckDBConnection root;
    private final boolean lake;
    private final String description;
    private final String identity;

    private MemoryStore(DuckDBConnection root, boolean lake, String description, String identity) {
        this.root = root;
        this.lake = lake;
        this.description = description;
        this.identity = identity;
    }

    /** Opens (creating if needed) the store and its tables. */
    public static MemoryStore open(Settings settings) {
        DuckDBConnection root = null;
        try {
            Properties config = new Properties();
            config.setProperty("autoinstall_known_extensions", "false");
            config.setProperty("autoload_known_extensions", "true");
            if (settings.extensionDirectory() != null) {
                config.setProperty(
                        "extension_directory",
                        settings.extensionDirectory().toAbsolutePath().toString());
            }
            if (settings.tempDirectory() != null) {
                Files.createDirectories(settings.tempDirectory());
                config.setProperty(
                        "temp_directory",
                        settings.tempDirectory().toAbsolutePath().toString());
            }
            if (settings.memoryLimit() != null) config.setProperty("memory_limit", settings.memoryLimit());
            root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", config);
            String engine;
            String platform;
            try (Statement s = root.createStatement()) {
                s.execute("SET GLOBAL TimeZone = 'UTC'");
                engine = single(s, "SELECT version()");
                platform = single(s, "PRAGMA platform");
            }
            boolean lakeAvailable = settings.extensionDirectory() != null
                    && Files.isRegularFile(extension(settings.extensionDirectory(), engine, platform, "ducklake"));
            Mode mode = settings.mode();
            if (mode == Mode.AUTO) mode = lakeAvailable && settings.lake() != null ? Mode.DUCKLAKE : Mode.DUCKDB;
            MemoryStore store;
            if (mode == Mode.DUCKLAKE) {
                if (settings.lake() == null) throw new IllegalArgumentException("DuckLake mode needs a lake");
                if (!lakeAvailable) {
                    throw new IllegalStateException("the DuckDB " + engine + " ducklake extension is not in "
                            + extension(settings.extensionDirectory(), engine, platform, "ducklake")
                            + " (run bin/setup-peers, or set auraison.memory.extension-directory)");
                }
                store = attachLake(root, settings.lake(), engine);
            } else {
                Path file = settings.file().toAbsolutePath();
                Files.createDirectories(file.getParent());
                try (Statement s = root.createStatement()) {
                    s.execute("ATTACH " + literal(file.toString()) + " AS " + MemorySchema.CATALOG);
                }
                store = new MemoryStore(
                        root,
                        false,
                        "DuckDB " + engine + " file " + file,
                        "duckdb:" + InetAddress.getLocalHost().getHostName() + ":" + file);
            }
            try (Connection c = store.connect()) {
                MemorySchema.create(c);
            }
            log.info("memory store: {}", store.description);
            return store;
        } catch (SQLException e) {
            closeQuietly(root);
            throw new MemoryStoreException("cannot open the memory store: " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(root);
            throw new UncheckedIOException("cannot open the memory store: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(root);
            throw e;
        }
    }

    private static MemoryStore attachLake(DuckDBConnection root, Lake lake, String engine) throws SQLException {
        try (Statement s = root.createStatement()) {
            s.execute("LOAD ducklake");
            if (lake.dataPath().startsWith("s3://")) {
                s.execute("LOAD httpfs");
                ObjectStore o = lake.objectStore();
                if (o != null) {
                    StringBuilder secret = new StringBuilder("CREATE OR REPLACE SECRET memory_lake (TYPE s3");
                    if (o.accessKeyId() != null) secret.append(", KEY_ID ").append(literal(o.accessKeyId()));
                    if (o.secretAccessKey() != null) secret.append(", SECRET ").append(literal(o.secretAccessKey()));
                    if (o.region() != null) secret.append(", REGION ").append(literal(o.region()));
                    if (o.endpoint() != null) secret.append(", ENDPOINT ").append(literal(o.endpoint()));
                    secret.append(", USE_SSL ").append(o.useSsl());
                    secret.append(", URL_STYLE ").append(literal(o.pathStyle() ? "path" : "vhost"));
                    s.execute(secret.append(')').toString());
                }
            }
            try {
                if (!lake.dataPath().startsWith("s3://")) Files.createDirectories(Path.of(lake.dataPath()));
                if (!lake.catalog().startsWith("postgres:")) {
                    Files.createDirectories(
                            Path.of(lake.catalog()).toAbsolutePath().getParent());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            StringBuilder attach = new StringBuilder("ATTACH ")
                    .append(literal("ducklake:" + lake.catalog()))
                    .append(" AS ")
                    .append(MemorySchema.CATALOG)
                    .append(" (DATA_PATH ")
                    .append(literal(lake.dataPath()));
            if (lake.metadataSchema() != null) {
                attach.append(", METADATA_SCHEMA ").append(literal(lake.metadataSchema()));
            }
            s.execute(attach.append(')').toString());
        }
        return new MemoryStore(
                root,
                true,
                "DuckLake on DuckDB " + engine + ", catalog " + lake.safeCatalog()
                        + (lake.metadataSchema() != null ? " schema " + lake.metadataSchema() : "") + ", data "
                        + lake.dataPath(),
                "ducklake:" + lake.safeCatalog() + "|" + lake.metadataSchema() + "|" + lake.dataPath());
    }

    /** The extension file DuckDB loads {@code name} from. */
    public static Path extension(Path extensionDirectory, String engine, String platform, String name) {
        return extensionDirectory.resolve(engine).resolve(platform).resolve(name + ".duckdb_extension");
    }

    /**
     * A new connection whose default catalog is the projection; the caller closes it. Time zone UTC, so that
     * day and minute buckets do not depend on the host.
     */
    public DuckDBConnection connect() throws SQLException {
        DuckDBConnection c = (DuckDBConnection) root.duplicate();
        try (Statement s = c.createStatement()) {
            s.execute("USE " + MemorySchema.CATALOG);
            s.execute("SET TimeZone = 'UTC'");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Whether this store is a DuckLake (and so has snapshots to travel to). */
    public boolean isLake() {
        return lake;
    }

    /** What and where this store is, without secrets. */
    public String description() {
        return description;
    }

    /**
     * What identifies the store across processes: two processes writing the same store must agree on it (it keys the
     * projector's leadership), and two different stores must not.
     */
    public String identity() {
        return identity;
    }

    /** A DuckLake snapshot: one committed change of the lake. */
    public record Snapshot(long id, Instant time, String changes) {}

    /** The lake's snapshots, oldest first; empty for a DuckDB file. */
    public List<Snapshot> snapshots() throws SQLException {
        List<Snapshot> out = new ArrayList<>();
        if (!lake) return out;
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT snapshot_id, snapshot_time, CAST(changes AS VARCHAR) FROM "
                        + MemorySchema.CATALOG + ".snapshots() ORDER BY snapshot_id")) {
            while (r.next()) {
                out.add(new Snapshot(r.getLong(1), r.getTimestamp(2).toInstant(), r.getString(3)));
            }
        }
        return out;
    }

    @Override
    public void close() {
        closeQuietly(root);
    }

    /** A SQL string literal. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException e) {
            log.warn("closing DuckDB: {}", e.getMessage());
        }
    }

    /** The store could not be opened or used. */
    public static final class MemoryStoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MemoryStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
