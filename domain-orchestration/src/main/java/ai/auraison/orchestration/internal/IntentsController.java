package ai.auraison.orchestration.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.ContractType;
import ai.auraison.contract.Intent;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.RunState;
import ai.auraison.platform.Caller;
import ai.auraison.platform.ContractBodies;
import ai.auraison.platform.Cursors;
import ai.auraison.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Intents: admission, lookup, listing and cancellation. A caller submits only for its own tenant (and, unless it is
 * an operator or an edge node, only as itself), and sees and cancels only its own tenant's intents.
 */
@RestController
@RequestMapping("/api/v1/intents")
@Tag(name = "intents", description = "Submit intents (idempotent on intentId), follow and cancel them")
class IntentsController {

    record IntentView(
            String intentId,
            String tenant,
            String principal,
            String type,
            UUID runId,
            String agentId,
            String status,
            int admissionStatus,
            Instant createdAt,
            JsonNode intent) {}

    record CancelRequest(
            @Size(max = 128) String by, @Size(max = 4096) String reason) {}

    private final IntentAdmission admission;
    private final JdbcClient jdbc;

    IntentsController(IntentAdmission admission, JdbcClient jdbc) {
        this.admission = admission;
        this.jdbc = jdbc;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Submit an intent",
            description =
                    "202 with the run when admitted. The same intent again gets the same answer; another intent under the same"
                            + " intentId a 409. 400 names every field that breaks intent.schema.json; 422 when the target is unknown or "
                            + "unhealthy, the intent type is not offered by its skills, or the deadline has passed; 429 with Retry-After "
                            + "when the agent's or tenant's queue is full or a queued-intent / concurrent-run quota of the tenant or principal is "
                            + "reached (quota-queued-intents, quota-concurrent-runs, with RateLimit headers); 503 when PostgreSQL is unreachable. 403 when policyCtx names "
                            + "another tenant than the caller's, or another principal and the caller is neither operator nor edge.")
    ResponseEntity<JsonNode> submit(@RequestBody JsonNode body) {
        Intent intent = ContractBodies.read(ContractType.INTENT, body, Intent.class);
        Caller.current().ifPresent(caller -> checkActsFor(caller, intent));
        IntentAdmission.Answer answer = admission.admit(intent);
        var response = ResponseEntity.status(answer.status());
        answer.headers().forEach(response::header);
        if (answer.status() >= 400) response.contentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.body(answer.body());
    }

    @GetMapping("/{intentId}")
    @Operation(summary = "Get an intent with the status of its run")
    IntentView get(@PathVariable String intentId) {
        String scope = Caller.currentTenant().orElse(null);
        return jdbc.sql(SELECT + " WHERE i.intent_id = ? AND (?::text IS NULL OR i.tenant = ?)")
                .params(intentId, scope, scope)
                .query(IntentsController::map)
                .optional()
                .orElseThrow(() -> ProblemException.notFound("intent", intentId));
    }

    @GetMapping
    @Operation(
            summary = "List intents",
            description = "Newest first. Filters: tenant, type, status (of the run), agent; cursor pagination")
    Cursors.Page<IntentView> list(
            @RequestParam(required = false) String tenant,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String agent,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int n = Cursors.limit(limit, 50, 500);
        StringBuilder sql = new StringBuilder(SELECT + " WHERE true");
        List<Object> params = new ArrayList<>();
        filter(sql, params, "i.tenant", Caller.currentTenant().orElse(null));
        filter(sql, params, "i.tenant", tenant);
        filter(sql, params, "i.type", type);
        filter(sql, params, "r.status", status);
        filter(sql, params, "i.agent_id", agent);
        if (cursor != null) {
            Cursors.TimeKey key = Cursors.decodeTimeKey(cursor);
            sql.append(" AND (i.created_at, i.intent_id) < (?, ?)");
            params.add(Timestamp.from(key.at()));
            params.add(key.id());
        }
        sql.append(" ORDER BY i.created_at DESC, i.intent_id DESC LIMIT ?");
        params.add(n + 1);
        List<IntentView> rows = jdbc.sql(sql.toString())
                .params(params)
                .query(IntentsController::map)
                .list();
        if (rows.size() <= n) return new Cursors.Page<>(rows, null);
        IntentView last = rows.get(n - 1);
        return new Cursors.Page<>(rows.subList(0, n), Cursors.encode(last.createdAt(), last.intentId()));
    }

    @PostMapping("/{intentId}:cancel")
    @Operation(
            summary = "Cancel an intent's run",
            description = "Records RunCancelled; queued work is dropped and a leased run is "
                    + "told to stop at its agent's next heartbeat. 409 when the run already finished.")
    RunState cancel(@PathVariable String intentId, @Valid @RequestBody(required = false) CancelRequest request) {
        IntentId id;
        try {
            id = IntentId.of(intentId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("intent", intentId);
        }
        Optional<Caller> caller = Caller.current();
        String by = caller.map(Caller::principal)
                .orElse(request == null || request.by() == null ? "operator" : request.by());
        return admission.cancel(
                id,
                by,
                request == null ? null : request.reason(),
                caller.map(c -> c.tenant().value()));
    }

    private static void checkActsFor(Caller caller, Intent intent) {
        var ctx = intent.policyCtx();
        if (caller.actsFor(ctx.tenant(), ctx.principal())) return;
        boolean otherTenant = !caller.tenant().equals(ctx.tenant());
        throw new ProblemException(
                        HttpStatus.FORBIDDEN,
                        otherTenant ? "tenant-mismatch" : "principal-mismatch",
                        "Forbidden",
                        otherTenant
                                ? "policyCtx.tenant must be the caller's tenant " + caller.tenant()
                                : "principal " + caller.principal() + " may submit intents only as itself, not as "
                                        + ctx.principal())
                .with("field", otherTenant ? "policyCtx.tenant" : "policyCtx.principal");
    }

    private static final String SELECT =
            "SELECT i.intent_id, i.tenant, i.principal, i.type, i.run_id, i.agent_id, r.status, "
                    + "i.http_status, i.created_at, i.body FROM orchestration.intents i JOIN orchestration.runs r ON r.run_id = i.run_id";

    private static void filter(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    private static IntentView map(ResultSet rs, int row) throws SQLException {
        return new IntentView(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getObject(5, UUID.class),
                rs.getString(6),
                rs.getString(7),
                rs.getInt(8),
                rs.getTimestamp(9).toInstant(),
                ContractJson.tree(rs.getString(10)));
    }
}
