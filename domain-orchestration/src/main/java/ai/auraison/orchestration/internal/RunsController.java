package ai.auraison.orchestration.internal;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.ContractType;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.RunState;
import ai.auraison.contract.TenantId;
import ai.auraison.orchestration.OrchestrationProperties;
import ai.auraison.platform.Caller;
import ai.auraison.platform.ContractBodies;
import ai.auraison.platform.Cursors;
import ai.auraison.platform.ProblemException;
import ai.auraison.platform.RunEventStreams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * Runs and their events: the event log, its ingestion from agents and its live stream. A caller sees and appends to
 * only its own tenant's runs; another tenant's run is a 404, as if it did not exist.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "runs", description = "Runs, their events (idempotent on eventId, ordered by seq) and live event streams")
class RunsController {

    record EventPage(List<AgentEvent> items, Long nextAfterSeq) {}

    record BatchResult(int accepted, int duplicates, int rejected, List<RunLog.Outcome> results) {}

    private final RunLog runs;
    private final JdbcClient jdbc;
    private final Signals signals;
    private final ExecutorService streams;
    private final OrchestrationProperties properties;
    private final OrchestrationMetrics metrics;

    RunsController(
            RunLog runs,
            JdbcClient jdbc,
            Signals signals,
            ExecutorService streams,
            OrchestrationProperties properties,
            OrchestrationMetrics metrics) {
        this.runs = runs;
        this.jdbc = jdbc;
        this.signals = signals;
        this.streams = streams;
        this.properties = properties;
        this.metrics = metrics;
    }

    @GetMapping("/runs")
    @Operation(
            summary = "List runs",
            description = "Newest first. Filters: status, agent, intent, tenant; cursor pagination")
    Cursors.Page<Map<String, Object>> list(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String agent,
            @RequestParam(required = false) String intent,
            @RequestParam(required = false) String tenant,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int n = Cursors.limit(limit, 50, 500);
        StringBuilder sql = new StringBuilder(
                "SELECT state, tenant, origin, created_at, run_id FROM orchestration.runs WHERE true");
        List<Object> params = new ArrayList<>();
        Optional<String> scope = Caller.currentTenant();
        if (scope.isPresent()) {
            sql.append(" AND tenant = ?");
            params.add(scope.get());
        }
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status);
        }
        if (agent != null) {
            sql.append(" AND agent_id = ?");
            params.add(agent);
        }
        if (intent != null) {
            sql.append(" AND intent_id = ?");
            params.add(intent);
        }
        if (tenant != null) {
            sql.append(" AND tenant = ?");
            params.add(tenant);
        }
        if (cursor != null) {
            Cursors.TimeKey key = Cursors.decodeTimeKey(cursor);
            sql.append(" AND (created_at, run_id) < (?, ?)");
            params.add(Timestamp.from(key.at()));
            params.add(key.uuid());
        }
        sql.append(" ORDER BY created_at DESC, run_id DESC LIMIT ?");
        params.add(n + 1);
        record Row(Map<String, Object> view, Instant createdAt, UUID runId) {}
        List<Row> rows = jdbc.sql(sql.toString())
                .params(params)
                .query((rs, i) -> new Row(
                        view(RunLog.mapRun(rs, i)), rs.getTimestamp(4).toInstant(), rs.getObject(5, UUID.class)))
                .list();
        List<Map<String, Object>> items = rows.stream().limit(n).map(Row::view).toList();
        if (rows.size() <= n) return new Cursors.Page<>(items, null);
        Row last = rows.get(n - 1);
        return new Cursors.Page<>(
                items, Cursors.encode(last.createdAt(), last.runId().toString()));
    }

    @GetMapping("/runs/{runId}")
    @Operation(summary = "Get a run: its RunState (run-state.schema.json) with its tenant and origin")
    Map<String, Object> get(@PathVariable String runId) {
        return view(visibleRun(AgentsController.runId(runId)));
    }

    /** The run, when the caller's tenant owns it; 404 otherwise, as for a run that does not exist. */
    private RunLog.Run visibleRun(RunId id) {
        RunLog.Run run = runs.get(id);
        if (Caller.currentTenant().filter(t -> !t.equals(run.tenant())).isPresent()) {
            throw ProblemException.notFound("run", id);
        }
        return run;
    }

    @GetMapping("/runs/{runId}/events")
    @Operation(summary = "A page of a run's events", description = "In seq order after afterSeq (default 0)")
    EventPage events(
            @PathVariable String runId,
            @RequestParam(defaultValue = "0") long afterSeq,
            @RequestParam(required = false) Integer limit) {
        RunId id = AgentsController.runId(runId);
        visibleRun(id);
        int n = Cursors.limit(limit, 100, 1000);
        List<AgentEvent> page = runs.events(id, afterSeq, n + 1);
        if (page.size() <= n) return new EventPage(page, null);
        return new EventPage(page.subList(0, n), page.get(n - 1).seq());
    }

    @GetMapping(path = "/runs/{runId}/events:stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(
            summary = "Live stream of a run's events (Server-Sent Events)",
            description =
                    "Each event has id = seq and event = kind. Resumes after the Last-Event-ID header (or afterSeq) without "
                            + "gaps or duplicates; closes after the run's terminal event.")
    SseEmitter stream(
            @PathVariable String runId,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(required = false) Long afterSeq) {
        RunId id = AgentsController.runId(runId);
        visibleRun(id);
        long start = RunEventStreams.startAfter(lastEventId, afterSeq);
        String key = id.toString();
        return RunEventStreams.open(
                new RunEventStreams.Source() {
                    @Override
                    public long version() {
                        return signals.version(Signals.RUNS, key);
                    }

                    @Override
                    public List<AgentEvent> after(long seq, int max) {
                        return runs.events(id, seq, max);
                    }

                    @Override
                    public RunState state() {
                        return runs.get(id).state();
                    }

                    @Override
                    public boolean await(long seen, Duration timeout) throws InterruptedException {
                        return signals.await(Signals.RUNS, key, seen, timeout);
                    }
                },
                start,
                streams);
    }

    @PostMapping(path = "/runs/{runId}/events", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Append one event to a run",
            description =
                    "Idempotent on eventId: a duplicate is accepted and ignored (status duplicate). The event must carry the next "
                            + "seq of the run: otherwise 409 event-out-of-order with expectedSeq; 409 run-finished after the run ended; "
                            + "404 for an unknown run.")
    ResponseEntity<RunLog.Outcome> append(@PathVariable String runId, @RequestBody JsonNode body) {
        RunId id = AgentsController.runId(runId);
        AgentEvent event = ContractBodies.read(ContractType.AGENT_EVENT, body, AgentEvent.class);
        if (!event.runId().equals(id)) {
            throw ProblemException.unprocessable(
                            "wrong-run", "the event belongs to run " + event.runId() + ", not " + id)
                    .with("field", "runId");
        }
        RunLog.Outcome outcome =
                runs.ingest(id, List.of(event), null, Caller.currentTenant()).getFirst();
        metrics.events(outcome.status(), 1);
        if (outcome.ok()) return ResponseEntity.ok(outcome);
        HttpStatus status = "run-not-found".equals(outcome.code()) ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT;
        ProblemException problem = new ProblemException(status, outcome.code(), "Event not accepted", outcome.detail())
                .with("eventId", outcome.eventId().toString())
                .with("seq", outcome.seq());
        if (outcome.expectedSeq() != null) problem.with("expectedSeq", outcome.expectedSeq());
        throw problem;
    }

    @PostMapping(path = "/events:batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Append events of many runs",
            description =
                    "Body {runs?: [{runId, intentId, agentId, tenant}], events: [...]}. Events are applied per run in seq order; "
                            + "each gets a result (accepted, duplicate, rejected with a code and detail). runs[] declares runs an edge started "
                            + "on its own so their events can be ingested. 400 names every event field that breaks agent-event.schema.json.")
    BatchResult batch(@RequestBody JsonNode body) {
        JsonNode eventsNode = body.get("events");
        if (eventsNode == null || !eventsNode.isArray()) {
            throw ProblemException.badParameter("events", "the body needs an events array");
        }
        if (eventsNode.size() > properties.maxBatchEvents()) {
            throw ProblemException.badParameter(
                    "events", "at most " + properties.maxBatchEvents() + " events per batch, got " + eventsNode.size());
        }
        List<AgentEvent> events =
                ContractBodies.readAll(ContractType.AGENT_EVENT, eventsNode, AgentEvent.class, "/events");
        Map<RunId, RunLog.Declaration> declared = declarations(body.get("runs"));

        Map<RunId, List<Integer>> byRun = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++)
            byRun.computeIfAbsent(events.get(i).runId(), k -> new ArrayList<>()).add(i);
        RunLog.Outcome[] results = new RunLog.Outcome[events.size()];
        Optional<String> scope = Caller.currentTenant();
        byRun.forEach((run, indices) -> {
            List<AgentEvent> ofRun = indices.stream().map(events::get).toList();
            List<RunLog.Outcome> outcomes = runs.ingest(run, ofRun, declared.get(run), scope);
            for (int k = 0; k < indices.size(); k++) results[indices.get(k)] = outcomes.get(k);
        });
        List<RunLog.Outcome> ordered = List.of(results);
        int accepted = (int)
                ordered.stream().filter(o -> o.status().equals("accepted")).count();
        int duplicates = (int)
                ordered.stream().filter(o -> o.status().equals("duplicate")).count();
        metrics.events("accepted", accepted);
        metrics.events("duplicate", duplicates);
        metrics.events("rejected", ordered.size() - accepted - duplicates);
        return new BatchResult(accepted, duplicates, ordered.size() - accepted - duplicates, ordered);
    }

    private static Map<RunId, RunLog.Declaration> declarations(JsonNode runsNode) {
        Map<RunId, RunLog.Declaration> out = new java.util.HashMap<>();
        if (runsNode == null || runsNode.isNull()) return out;
        if (!runsNode.isArray()) throw ProblemException.badParameter("runs", "runs must be an array");
        for (int i = 0; i < runsNode.size(); i++) {
            JsonNode r = runsNode.get(i);
            try {
                RunId runId = RunId.of(r.path("runId").asString());
                out.put(
                        runId,
                        new RunLog.Declaration(
                                runId,
                                IntentId.of(r.path("intentId").asString()),
                                AgentId.of(r.path("agentId").asString()),
                                TenantId.of(r.path("tenant").asString()).value()));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badParameter("runs", "/runs/" + i + ": " + e.getMessage());
            }
        }
        return out;
    }

    static Map<String, Object> view(RunLog.Run run) {
        @SuppressWarnings("unchecked")
        Map<String, Object> state = ContractJson.mapper().convertValue(run.state(), LinkedHashMap.class);
        state.put("tenant", run.tenant());
        state.put("origin", run.origin());
        return state;
    }
}
