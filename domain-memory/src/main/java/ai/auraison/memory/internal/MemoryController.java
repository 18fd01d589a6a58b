package ai.auraison.memory.internal;

import ai.auraison.contract.ProjectionEvent;
import ai.auraison.contract.TenantId;
import ai.auraison.memory.MemoryQueries;
import ai.auraison.memory.MemoryStore;
import ai.auraison.memory.ParquetExport;
import ai.auraison.memory.Projector;
import ai.auraison.memory.ProjectorLifecycle;
import ai.auraison.memory.ReadOnlySql;
import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.platform.Caller;
import ai.auraison.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The memory API. Every query is scoped to the authenticated caller's tenant (a {@code tenant} parameter naming
 * another one is refused); only in an app without authentication is the {@code tenant} parameter required and trusted.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "memory", description = "The event log projected into DuckDB / DuckLake: queries, operator SQL, export")
class MemoryController {

    record SqlRequest(String sql, Long version) {}

    record Status(String store, boolean lake, boolean projecting, boolean leader, Checkpoint checkpoint) {}

    private final MemoryStore store;
    private final MemoryQueries queries;
    private final ReadOnlySql sql;
    private final ParquetExport export;
    private final ProjectorLifecycle projector;

    MemoryController(
            MemoryStore store,
            MemoryQueries queries,
            ReadOnlySql sql,
            ParquetExport export,
            ProjectorLifecycle projector) {
        this.store = store;
        this.queries = queries;
        this.sql = sql;
        this.export = export;
        this.projector = projector;
    }

    @GetMapping("/memory/status")
    @Operation(summary = "The memory store, whether this replica projects, and the committed checkpoint")
    Status status() {
        Projector p = projector.projector().orElse(null);
        Checkpoint checkpoint = p != null ? p.checkpoint() : null;
        return new Status(store.description(), store.isLake(), p != null, p != null && p.isLeader(), checkpoint);
    }

    @GetMapping("/memory/runs/{runId}/timeline")
    @Operation(
            summary = "A run's timeline: its events in seq order",
            description = "Scoped to tenant; version reads a DuckLake snapshot (time travel)")
    List<MemoryQueries.TimelineEntry> timeline(
            @PathVariable String runId,
            @RequestParam(required = false) String tenant,
            @RequestParam(required = false) Long version) {
        UUID id;
        try {
            id = UUID.fromString(runId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("runId", "runId must be a UUID: " + runId);
        }
        List<MemoryQueries.TimelineEntry> entries = queries.runTimeline(tenant(tenant), id, version);
        if (entries.isEmpty()) throw ProblemException.notFound("run", runId);
        return entries;
    }

    @GetMapping("/memory/tool-calls/stats")
    @Operation(
            summary = "Tool-call statistics per tool and agent: calls, errors, latency p50/p95/max",
            description = "Calls completed in [from, to) (ISO-8601 instants; default the last 24 hours)")
    List<MemoryQueries.ToolCallStats> toolCallStats(
            @RequestParam(required = false) String tenant,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) Long version) {
        Instant end = instant("to", to, Instant.now());
        return queries.toolCallStats(tenant(tenant), instant("from", from, end.minusSeconds(86_400)), end, version);
    }

    @GetMapping("/memory/model-usage")
    @Operation(
            summary = "Model usage and cost per UTC day, model and provider",
            description = "Calls in [from, to) (default the last 30 days)")
    List<MemoryQueries.ModelUsage> modelUsage(
            @RequestParam(required = false) String tenant,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) Long version) {
        Instant end = instant("to", to, Instant.now());
        return queries.modelUsage(tenant(tenant), instant("from", from, end.minusSeconds(30 * 86_400L)), end, version);
    }

    @GetMapping("/memory/agents/health")
    @Operation(
            summary = "Agent health history per minute, hour or day",
            description = "Derived from the agents' events; status is healthy, degraded or failing (default last 24 h)")
    List<MemoryQueries.AgentHealth> agentHealth(
            @RequestParam(required = false) String tenant,
            @RequestParam(required = false) String agent,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "hour") String bucket,
            @RequestParam(required = false) Long version) {
        Instant end = instant("to", to, Instant.now());
        return queries.agentHealth(
                tenant(tenant), agent, instant("from", from, end.minusSeconds(86_400)), end, bucket, version);
    }

    @GetMapping("/memory/snapshots")
    @Operation(summary = "The DuckLake's snapshots, for time travel (empty on a DuckDB file)")
    List<MemoryStore.Snapshot> snapshots() throws SQLException {
        return store.snapshots();
    }

    @PostMapping("/memory/sql")
    @Operation(
            summary = "Run one read-only SELECT over the tenant's views",
            description =
                    "Views: events, runs, tool_calls, tool_calls_open, model_calls, policy_decisions, agent_health."
                            + " Writes, several statements, other tables, table functions and file access are refused with a"
                            + " sql-refused problem and never executed; a timeout and a row limit apply")
    ReadOnlySql.Result sql(@RequestParam(required = false) String tenant, @RequestBody SqlRequest request) {
        return sql.execute(tenant(tenant), request.sql(), request.version());
    }

    @GetMapping("/memory/sql/views")
    @Operation(summary = "The views operator SQL can read, with their columns")
    Map<String, List<String>> views() {
        return sql.views();
    }

    @GetMapping(path = "/memory/export", produces = "application/vnd.apache.parquet")
    @Operation(
            summary = "Export the tenant's rows of one table in a time range as Parquet",
            description = "table: events, runs, tool_calls, model_calls, policy_decisions or agent_health; [from, to)")
    ResponseEntity<StreamingResponseBody> export(
            @RequestParam(required = false) String tenant,
            @RequestParam String table,
            @RequestParam String from,
            @RequestParam String to) {
        Path file;
        try {
            file = Files.createTempFile("memory-export-", ".parquet");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long rows;
        try {
            rows = export.export(tenant(tenant), table, instant("from", from, null), instant("to", to, null), file);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        StreamingResponseBody body = out -> {
            try {
                Files.copy(file, out);
            } finally {
                deleteQuietly(file);
            }
        };
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + table + ".parquet\"")
                .header("X-Rows", Long.toString(rows))
                .contentType(MediaType.parseMediaType("application/vnd.apache.parquet"))
                .body(body);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    @PostMapping("/memory:rebuild")
    @Operation(
            summary = "Rebuild the projection from the log",
            description = "Synchronous; one transaction, so readers see the old projection until it commits. 409 when"
                    + " another replica holds the projector's leadership or this one does not project")
    ProjectionEvent.ProjectionRebuilt rebuild() {
        Projector p = projector
                .projector()
                .orElseThrow(() ->
                        ProblemException.conflict("memory-not-projecting", "this replica has no event log to project"));
        try {
            return p.rebuild();
        } catch (Projector.NotLeaderException e) {
            throw ProblemException.conflict("memory-not-leader", e.getMessage());
        }
    }

    /**
     * The tenant a query is scoped to: the authenticated caller's own. A {@code tenant} parameter naming another
     * tenant is refused (403), never honoured. Without authentication (the module's own test app) the parameter is
     * required and trusted.
     */
    private static TenantId tenant(String tenant) {
        Optional<String> own = Caller.currentTenant();
        if (own.isPresent()) {
            if (tenant != null && !tenant.equals(own.get())) {
                throw new ProblemException(
                                HttpStatus.FORBIDDEN,
                                "tenant-mismatch",
                                "Forbidden",
                                "memory queries are scoped to the caller's tenant " + own.get() + "; tenant " + tenant
                                        + " is not visible")
                        .with("parameter", "tenant");
            }
            return TenantId.of(own.get());
        }
        if (tenant == null) throw ProblemException.badParameter("tenant", "tenant is required");
        try {
            return TenantId.of(tenant);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("tenant", e.getMessage());
        }
    }

    private static Instant instant(String name, String value, Instant fallback) {
        if (value == null) {
            if (fallback == null) throw ProblemException.badParameter(name, name + " is required");
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badParameter(name, name + " must be an ISO-8601 instant: " + value);
        }
    }
}
