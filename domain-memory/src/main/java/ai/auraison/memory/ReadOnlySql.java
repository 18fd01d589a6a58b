package ai.auraison.memory;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.TenantId;
import ai.auraison.memory.internal.MemorySchema;
import ai.auraison.platform.ProblemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Read-only SQL for operators over tenant-scoped views of the projection. A statement runs only if DuckDB's own parser
 * finds exactly one SELECT whose tables are all views ({@link #VIEWS}) or its own CTEs where they are in scope (a CTE
 * name out of scope would resolve to a table of the store or a file), with no table functions
 * (which read files), no parameters and no functions that reveal settings; anything else is refused with a problem
 * and never executed. Each view shows only the given tenant's rows. A statement runs under a timeout and returns at
 * most a row limit.
 *
 * <p>Thread-safe.
 */
public final class ReadOnlySql implements AutoCloseable {

    /** The views a statement may read, each the projection table of the same name filtered to the tenant. */
    public static final List<String> VIEWS = MemorySchema.TABLES;

    private static final Set<String> DENIED_FUNCTIONS = Set.of(
            "current_setting", "getvariable", "getenv", "read_text", "read_blob", "query", "query_table", "glob");

    private static final int MAX_SQL_LENGTH = 64 * 1024;

    private static final Pattern CTE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The answer: column names, rows (at most the limit), and whether more rows were cut off. */
    public record Result(List<String> columns, List<List<Object>> rows, boolean truncated, long elapsedMs) {}

    private final MemoryStore store;
    private final MemoryQueries tables;
    private final Duration timeout;
    private final int maxRows;
    private final MemoryMetrics metrics;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("memory-sql-timeout").daemon(true).factory());

    public ReadOnlySql(MemoryStore store, Duration timeout, int maxRows, MemoryMetrics metrics) {
        this.store = store;
        this.tables = new MemoryQueries(store);
        this.timeout = timeout;
        this.maxRows = maxRows;
        this.metrics = metrics;
    }

    /** Checks {@code sql} and runs it over {@code tenant}'s views (at snapshot {@code version} when given). */
    public Result execute(TenantId tenant, String sql, Long version) {
        String statement = check(sql);
        StringBuilder wrapped = new StringBuilder("WITH ");
        for (String view : VIEWS) {
            if (wrapped.length() > 5) wrapped.append(", ");
            wrapped.append(view)
                    .append(" AS NOT MATERIALIZED (SELECT * FROM ")
                    .append(tables.table(view, version))
                    .append(" WHERE tenant = ")
                    .append(MemoryStore.literal(tenant.value()))
                    .append(")");
        }
        wrapped.append("\nSELECT * FROM (\n")
                .append(statement)
                .append("\n) LIMIT ")
                .append(maxRows + 1);
        long started = System.nanoTime();
        try (Connection c = store.connect();
                PreparedStatement p = prepare(c, wrapped.toString(), version)) {
            AtomicBoolean timedOut = new AtomicBoolean();
            ScheduledFuture<?> cancel = timer.schedule(
                    () -> {
                        timedOut.set(true);
                        try {
                            p.cancel();
                        } catch (SQLException ignored) {
                            // the statement finished meanwhile
                        }
                    },
                    timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            try (ResultSet r = p.executeQuery()) {
                ResultSetMetaData meta = r.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) columns.add(meta.getColumnLabel(i));
                List<List<Object>> rows = new ArrayList<>();
                boolean truncated = false;
                while (r.next()) {
                    if (rows.size() == maxRows) {
                        truncated = true;
                        break;
                    }
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) row.add(value(r.getObject(i)));
                    rows.add(row);
                }
                return new Result(
                        columns,
                        rows,
                        truncated,
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
            } catch (SQLException e) {
                if (timedOut.get()) {
                    throw new ProblemException(
                                    HttpStatus.UNPROCESSABLE_CONTENT,
                                    "sql-timeout",
                                    "SQL timed out",
                                    "the statement ran longer than " + timeout.toMillis() + " ms and was cancelled")
                            .with("timeoutMs", timeout.toMillis());
                }
                throw invalid(e, version);
            } finally {
                cancel.cancel(false);
            }
        } catch (SQLException e) {
            throw new MemoryStore.MemoryStoreException("memory SQL failed: " + e.getMessage(), e);
        }
    }

    /** DuckDB binds at prepare time, so an unknown column or snapshot fails here: the caller's error, not the store's. */
    private static PreparedStatement prepare(Connection c, String sql, Long version) {
        try {
            return c.prepareStatement(sql);
        } catch (SQLException e) {
            throw invalid(e, version);
        }
    }

    private static ProblemException invalid(SQLException e, Long version) {
        if (version != null && e.getMessage() != null && e.getMessage().contains("snapshot")) {
            return ProblemException.badParameter("version", e.getMessage());
        }
        return new ProblemException(HttpStatus.BAD_REQUEST, "sql-invalid", "Invalid SQL", e.getMessage());
    }

    /**
     * Returns the single SELECT of {@code sql} (without a trailing semicolon) or throws a {@code sql-refused} problem
     * naming the reason; nothing of {@code sql} is executed here (DuckDB only parses it).
     */
    String check(String sql) {
        if (sql == null || sql.isBlank()) throw refused("empty", "no statement given");
        if (sql.length() > MAX_SQL_LENGTH) throw refused("too-long", "statements are limited to 64 KiB");
        JsonNode tree;
        try (Connection c = store.connect();
                Statement p = c.createStatement()) {
            // json_serialize_sql takes a constant; the literal is only parsed as a string, never run as SQL
            try (ResultSet r = p.executeQuery("SELECT json_serialize_sql(" + MemoryStore.literal(sql) + ")")) {
                r.next();
                tree = ContractJson.tree(r.getString(1));
            }
        } catch (SQLException e) {
            throw new MemoryStore.MemoryStoreException("cannot parse SQL: " + e.getMessage(), e);
        }
        if (tree.path("error").asBoolean(false)) {
            String message = tree.path("error_message").asString("");
            if (message.contains("Only SELECT statements")) {
                throw refused(
                        "not-a-select",
                        "only a single SELECT statement is allowed (no writes, DDL, COPY, "
                                + "ATTACH, PRAGMA, SET or other statements)");
            }
            throw new ProblemException(HttpStatus.BAD_REQUEST, "sql-invalid", "Invalid SQL", message);
        }
        JsonNode statements = tree.path("statements");
        if (statements.size() != 1) {
            throw refused("multiple-statements", "exactly one statement is allowed, found " + statements.size());
        }
        inspect(statements, Set.of(), null);
        String statement = sql.strip();
        while (statement.endsWith(";"))
            statement = statement.substring(0, statement.length() - 1).strip();
        return statement;
    }

    /**
     * Refuses what {@code node} must not do. {@code ctes} are the CTE names visible at {@code node} (lower case): a
     * table reference that is neither a view nor one of them would be resolved by DuckDB as a table of the default
     * catalog, a system view or a file, so it is refused. {@code recursive} is the name of the CTE whose query
     * {@code node} is, when that CTE is recursive: only its recursive term (the {@code right} of its
     * {@code RECURSIVE_CTE_NODE}) sees the CTE itself; its anchor resolves the name outside, like any other CTE's query.
     */
    private void inspect(JsonNode node, Set<String> ctes, String recursive) {
        if (node.isArray()) {
            for (JsonNode child : node) inspect(child, ctes, null);
            return;
        }
        if (!node.isObject()) return;
        String type = node.path("type").asString("");
        String clazz = node.path("class").asString("");
        if ("BASE_TABLE".equals(type)) {
            String name = node.path("table_name").asString("");
            boolean qualified = !node.path("schema_name").asString("").isEmpty()
                    || !node.path("catalog_name").asString("").isEmpty();
            if (qualified
                    || !(VIEWS.contains(name.toLowerCase(Locale.ROOT))
                            || ctes.contains(name.toLowerCase(Locale.ROOT)))) {
                throw refused(
                        "table-not-allowed",
                        "only the views " + VIEWS + " and CTEs in scope can be read; not '" + name
                                + "' (no other tables, catalogs or files)");
            }
            if (!node.path("at_clause").isNull() && !node.path("at_clause").isMissingNode()) {
                throw refused("time-travel-in-sql", "use the version parameter instead of AT clauses");
            }
        }
        if ("TABLE_FUNCTION".equals(type)) {
            String fn = node.path("function").path("function_name").asString("?");
            throw refused("table-function", "table functions such as " + fn + "() (which read files) are not allowed");
        }
        if ("FUNCTION".equals(clazz)) {
            String fn = node.path("function_name").asString("").toLowerCase(Locale.ROOT);
            if (DENIED_FUNCTIONS.contains(fn) || fn.startsWith("duckdb_") || fn.startsWith("pragma_")) {
                throw refused("function-not-allowed", "the function " + fn + "() is not allowed");
            }
        }
        if ("PARAMETER".equals(clazz)) throw refused("parameters", "statements may not have parameters");
        // WITH: each CTE's query sees the CTEs before it (and a recursive one itself); the rest of the node sees all
        Set<String> scope = ctes;
        JsonNode map = node.path("cte_map").path("map");
        if (map.isArray() && !map.isEmpty()) {
            Set<String> visible = new HashSet<>(ctes);
            for (JsonNode entry : map) {
                String name = entry.path("key").asString("");
                if (!CTE_NAME.matcher(name).matches()) {
                    throw refused(
                            "cte-name-not-allowed",
                            "CTE names must be plain identifiers ([A-Za-z_][A-Za-z0-9_]*); not '" + name + "'");
                }
                String lower = name.toLowerCase(Locale.ROOT);
                JsonNode value = entry.path("value");
                for (Map.Entry<String, JsonNode> field : value.properties()) {
                    if (!"query".equals(field.getKey())) {
                        inspect(field.getValue(), visible, null);
                        continue;
                    }
                    for (Map.Entry<String, JsonNode> q : field.getValue().properties()) {
                        inspect(q.getValue(), visible, "node".equals(q.getKey()) ? lower : null);
                    }
                }
                visible.add(lower);
            }
            scope = visible;
        }
        boolean recursiveTerm = recursive != null
                && "RECURSIVE_CTE_NODE".equals(type)
                && recursive.equals(node.path("cte_name").asString("").toLowerCase(Locale.ROOT));
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if ("cte_map".equals(field.getKey())) continue;
            if (recursiveTerm && "right".equals(field.getKey())) {
                Set<String> withSelf = new HashSet<>(scope);
                withSelf.add(recursive);
                inspect(field.getValue(), withSelf, null);
            } else {
                inspect(field.getValue(), scope, null);
            }
        }
    }

    private ProblemException refused(String reason, String detail) {
        metrics.sqlRefused();
        return new ProblemException(HttpStatus.BAD_REQUEST, "sql-refused", "SQL refused", detail)
                .with("reason", reason);
    }

    private static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) return v;
        if (v instanceof OffsetDateTime odt) return odt.toInstant().toString();
        if (v instanceof java.sql.Timestamp t) return t.toInstant().toString();
        if (v instanceof UUID u) return u.toString();
        return v.toString();
    }

    /** The views' columns, for documentation: view name to column names. */
    public Map<String, List<String>> views() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = store.connect();
                Statement s = c.createStatement()) {
            for (String view : VIEWS) {
                List<String> columns = new ArrayList<>();
                try (ResultSet r = s.executeQuery("SELECT * FROM mem." + view + " LIMIT 0")) {
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        columns.add(r.getMetaData().getColumnLabel(i));
                    }
                }
                out.put(view, columns);
            }
        } catch (SQLException e) {
            throw new MemoryStore.MemoryStoreException("cannot describe the views: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
