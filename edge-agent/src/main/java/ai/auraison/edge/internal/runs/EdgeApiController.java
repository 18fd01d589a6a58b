package ai.auraison.edge.internal.runs;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.ContractType;
import ai.auraison.contract.Intent;
import ai.auraison.contract.RunId;
import ai.auraison.contract.RunState;
import ai.auraison.contract.RunStatus;
import ai.auraison.contract.TreeRef;
import ai.auraison.edge.internal.pi.PiRpcAgentHarness;
import ai.auraison.edge.internal.store.EdgeStore;
import ai.auraison.platform.ContractBodies;
import ai.auraison.platform.Cursors;
import ai.auraison.platform.ProblemException;
import ai.auraison.platform.RunEventStreams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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

/** The edge's own API for local applications: intents, runs, their events and live streams, steering and forks. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "edge", description = "Local intents and runs of this edge; works while the central runtime is away")
public class EdgeApiController {

    record TextRequest(@NotBlank @Size(max = 100_000) String message) {}

    record AbortRequest(@Size(max = 4096) String reason) {}

    record ForkRequest(
            @NotNull String sessionId,
            @NotBlank String entryId,
            @NotNull JsonNode intent,
            @Size(max = 100_000) String prompt) {}

    record EventPage(List<AgentEvent> items, Long nextAfterSeq) {}

    private final LocalAdmission admission;
    private final EdgeRuns runs;
    private final EdgeStore store;
    private final PiRpcAgentHarness harness;
    private final ExecutorService streams;

    public EdgeApiController(
            LocalAdmission admission,
            EdgeRuns runs,
            EdgeStore store,
            PiRpcAgentHarness harness,
            ExecutorService streams) {
        this.admission = admission;
        this.runs = runs;
        this.store = store;
        this.harness = harness;
        this.streams = streams;
    }

    @PostMapping(path = "/intents", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Submit an intent to an agent of this edge",
            description =
                    "Same contract, validation and idempotency as the central runtime: 202 with the run; the same intent "
                            + "again gets the same answer; another under the same intentId 409; 400 names every invalid field; 422 when "
                            + "no agent of this edge matches, its skills do not offer the type, or the deadline passed.")
    ResponseEntity<JsonNode> submit(@RequestBody JsonNode body) {
        Intent intent = ContractBodies.read(ContractType.INTENT, body, Intent.class);
        LocalAdmission.Answer answer = admission.admit(intent);
        var response = ResponseEntity.status(answer.status());
        if (answer.status() >= 400) response.contentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.body(answer.body());
    }

    @GetMapping("/intents/{intentId}")
    @Operation(summary = "Get a local intent with the answer it was given")
    Map<String, Object> intent(@PathVariable String intentId) {
        EdgeStore.StoredIntent i =
                store.intent(intentId).orElseThrow(() -> ProblemException.notFound("intent", intentId));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("intentId", i.intentId());
        out.put("runId", i.runId().toString());
        out.put("admissionStatus", i.status());
        out.put("answer", ContractJson.tree(i.answer()));
        runs.stateOf(new RunId(i.runId()))
                .ifPresent(s -> out.put("status", s.status().wireName()));
        return out;
    }

    @GetMapping("/runs")
    @Operation(
            summary = "List this edge's runs, newest first",
            description = "Optional status filter (a RunState status); limit 1..500 (default 50); cursor pagination "
                    + "(nextCursor, absent on the last page)")
    Cursors.Page<Map<String, Object>> list(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int n = Cursors.limit(limit, 50, 500);
        if (status != null
                && java.util.Arrays.stream(RunStatus.values())
                        .noneMatch(s -> s.wireName().equals(status))) {
            throw ProblemException.badParameter(
                    "status",
                    "status must be one of "
                            + java.util.Arrays.stream(RunStatus.values())
                                    .map(RunStatus::wireName)
                                    .toList()
                            + ", was " + status);
        }
        Cursors.TimeKey after = cursor == null ? null : Cursors.decodeTimeKey(cursor);
        List<EdgeStore.ListedRun> rows =
                store.runs(n + 1, status, after == null ? null : after.at(), after == null ? null : after.uuid());
        List<Map<String, Object>> items =
                rows.stream().limit(n).map(r -> view(r.run())).toList();
        if (rows.size() <= n) return new Cursors.Page<>(items, null);
        EdgeStore.ListedRun last = rows.get(n - 1);
        return new Cursors.Page<>(
                items,
                Cursors.encode(
                        last.createdAt(), last.run().state().runId().value().toString()));
    }

    @GetMapping("/runs/{runId}")
    @Operation(summary = "Get a run of this edge: its RunState with tenant and origin")
    Map<String, Object> run(@PathVariable String runId) {
        RunId id = runId(runId);
        return view(runs.stored(id).orElseThrow(() -> ProblemException.notFound("run", id)));
    }

    @GetMapping("/runs/{runId}/events")
    @Operation(summary = "A page of a run's events, in seq order after afterSeq")
    EventPage events(
            @PathVariable String runId,
            @RequestParam(defaultValue = "0") long afterSeq,
            @RequestParam(required = false) Integer limit) {
        RunId id = existing(runId);
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000)
            throw ProblemException.badParameter("limit", "limit must be between 1 and 1000, was " + n);
        List<AgentEvent> page = runs.events(id, afterSeq, n + 1);
        if (page.size() <= n) return new EventPage(page, null);
        return new EventPage(page.subList(0, n), page.get(n - 1).seq());
    }

    @GetMapping(path = "/runs/{runId}/events:stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(
            summary = "Live stream of a run's events (Server-Sent Events)",
            description =
                    "id = seq, event = kind; resumes after Last-Event-ID without gaps or duplicates; closes after the terminal event")
    SseEmitter stream(
            @PathVariable String runId,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(required = false) Long afterSeq) {
        RunId id = existing(runId);
        long start = RunEventStreams.startAfter(lastEventId, afterSeq);
        return RunEventStreams.open(
                new RunEventStreams.Source() {
                    @Override
                    public long version() {
                        return runs.version();
                    }

                    @Override
                    public List<AgentEvent> after(long seq, int max) {
                        return runs.events(id, seq, max);
                    }

                    @Override
                    public RunState state() {
                        return runs.stateOf(id).orElseThrow();
                    }

                    @Override
                    public boolean await(long seen, Duration timeout) throws InterruptedException {
                        return runs.awaitChange(seen, timeout);
                    }
                },
                start,
                streams);
    }

    @PostMapping("/runs/{runId}:steer")
    @Operation(
            summary = "Steer a running run",
            description = "Delivered after the current turn's tool calls, before the next model call")
    ResponseEntity<Void> steer(@PathVariable String runId, @Valid @RequestBody TextRequest request) {
        running(runId).steer(request.message());
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/runs/{runId}:follow-up")
    @Operation(
            summary = "Follow up a running run",
            description = "Delivered when the agent would otherwise stop, inside the same run")
    ResponseEntity<Void> followUp(@PathVariable String runId, @Valid @RequestBody TextRequest request) {
        running(runId).followUp(request.message());
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/runs/{runId}:abort")
    @Operation(
            summary = "Abort a running run",
            description = "Completes once the run wound down; answers its terminal RunState")
    Map<String, Object> abort(@PathVariable String runId, @Valid @RequestBody(required = false) AbortRequest request) {
        RunId id = runId(runId);
        running(runId);
        harness.abort(id, "edge-api", request == null ? null : request.reason());
        runs.settled(id).orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
        return run(runId);
    }

    @GetMapping("/runs/{runId}/tree")
    @Operation(
            summary = "The Pi session tree of a run: its entries (id, parent, type, role)",
            description = "Fork a new run from a user-message entry with POST /api/v1/runs:fork")
    Map<String, Object> tree(@PathVariable String runId) {
        RunId id = existing(runId);
        TreeRef tree = runs.stateOf(id).map(RunState::treeRef).orElse(null);
        if (tree == null) throw ProblemException.notFound("tree of run", id);
        return Map.of("sessionId", tree.sessionId(), "entries", harness.entries(tree.sessionId()));
    }

    @PostMapping(path = "/runs:fork", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Start a run forked from an entry of an earlier run's tree",
            description =
                    "The entry must be a user message of that session; the new run continues from its parent with the "
                            + "given prompt (or the forked message's text). 202 with the new run.")
    ResponseEntity<Map<String, Object>> fork(@Valid @RequestBody ForkRequest request) {
        Intent intent = ContractBodies.read(ContractType.INTENT, request.intent(), Intent.class);
        if (!harness.knowsSession(request.sessionId())) {
            throw ProblemException.unprocessable(
                            "unknown-session", "no run of this edge created Pi session " + request.sessionId())
                    .with("field", "sessionId");
        }
        AgentId agent = harness.agents().stream()
                .filter(a -> intent.targets().stream().anyMatch(t -> a.agentId().equals(t.agent())))
                .map(PiRpcAgentHarness.Agent::agentId)
                .findFirst()
                .orElseThrow(() -> ProblemException.unprocessable(
                                "unknown-target", "the intent must name an agent of this edge")
                        .with("field", "intent.targets"));
        RunId runId = RunId.random();
        runs.open(runId, intent, agent);
        runs.startFork(runId, intent, agent, new TreeRef(request.sessionId(), request.entryId()), request.prompt());
        return ResponseEntity.accepted()
                .body(Map.of(
                        "runId",
                        runId.toString(),
                        "links",
                        Map.of("run", "/api/v1/runs/" + runId, "events", "/api/v1/runs/" + runId + "/events:stream")));
    }

    @GetMapping("/agents")
    @Operation(summary = "The agents of this edge with their Pi pools (warm, busy, restarts, resident memory)")
    List<Map<String, Object>> agents() {
        return harness.agents().stream()
                .map(a -> Map.<String, Object>of(
                        "agentId", a.agentId().value(),
                        "application", a.application(),
                        "skills", a.skills().stream().map(s -> s.name()).toList(),
                        "pool", harness.poolStatus(a.agentId())))
                .toList();
    }

    @GetMapping("/outbox")
    @Operation(
            summary =
                    "The event outbox: counts of events by shipping status (pending, accepted, duplicate, rejected:…)")
    Map<String, Long> outbox() {
        return store.outboxCounts();
    }

    private ai.auraison.contract.spi.AgentHarness.HarnessRun running(String runId) {
        RunId id = existing(runId);
        return harness.run(id)
                .orElseThrow(() -> ProblemException.conflict("run-not-running", "run " + id + " is not running"));
    }

    private RunId existing(String runId) {
        RunId id = runId(runId);
        if (runs.stateOf(id).isEmpty()) throw ProblemException.notFound("run", id);
        return id;
    }

    private static RunId runId(String text) {
        try {
            return RunId.of(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("runId", "not a run id (a UUID): " + text);
        }
    }

    private static Map<String, Object> view(EdgeStore.StoredRun r) {
        @SuppressWarnings("unchecked")
        Map<String, Object> state = ContractJson.mapper().convertValue(r.state(), LinkedHashMap.class);
        state.put("tenant", r.tenant());
        state.put("origin", r.origin());
        return state;
    }
}
