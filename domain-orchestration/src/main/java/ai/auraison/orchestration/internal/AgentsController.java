package ai.auraison.orchestration.internal;

import ai.auraison.contract.AgentId;
import ai.auraison.contract.Failure;
import ai.auraison.contract.RunId;
import ai.auraison.orchestration.OrchestrationProperties;
import ai.auraison.platform.Caller;
import ai.auraison.platform.Cursors;
import ai.auraison.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Agents: registration, heartbeats, draining, and their work queues. An agent belongs to the tenant of the principal
 * that registered it; a caller sees and drives only its own tenant's agents (another tenant's is a 404).
 */
@RestController
@RequestMapping("/api/v1/agents")
@Tag(name = "agents", description = "Agents register, heartbeat and take work from their durable queue")
class AgentsController {

    record RegisterRequest(
            @NotNull @Pattern(regexp = AgentId.PATTERN) String agentId,
            @NotBlank String application,

            @NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9._-]{0,62}$")
            String edgeNode,

            @NotEmpty @Size(max = 64) List<@NotBlank String> skills,
            @Min(1) @Max(1024) int capacity,
            Map<String, String> labels) {}

    record AgentView(
            String agentId,
            String application,
            String edgeNode,
            List<String> skills,
            int capacity,
            Map<String, String> labels,
            String status,
            Instant registeredAt,
            Instant lastHeartbeatAt,
            long queueDepth) {}

    record HeartbeatRequest(List<UUID> leases) {}

    record HeldLease(UUID leaseId, Instant leaseExpiresAt) {}

    record HeartbeatResponse(String agentId, String status, List<HeldLease> leases, List<WorkQueue.LostLease> lost) {}

    record PollRequest(
            @Min(1) @Max(100) Integer max, @Min(0) @Max(60) Integer waitSeconds) {}

    record WorkItem(RunId runId, UUID leaseId, int attempt, Instant leaseExpiresAt, long nextSeq, Object intent) {}

    record WorkResponse(List<WorkItem> items) {}

    record LeaseRequest(@NotNull UUID leaseId) {}

    record FailRequest(
            @NotNull UUID leaseId, @NotNull @Valid Failure failure, Boolean retryable) {}

    private final AgentRegistry agents;
    private final WorkQueue queue;
    private final Backpressure backpressure;
    private final AgentBulkheads bulkheads;
    private final OrchestrationProperties properties;

    AgentsController(
            AgentRegistry agents,
            WorkQueue queue,
            Backpressure backpressure,
            AgentBulkheads bulkheads,
            OrchestrationProperties properties) {
        this.agents = agents;
        this.queue = queue;
        this.backpressure = backpressure;
        this.bulkheads = bulkheads;
        this.properties = properties;
    }

    @PostMapping
    @Operation(
            summary = "Register an agent",
            description = "201 when new, 200 when re-registered (which also ends draining)")
    ResponseEntity<AgentView> register(@Valid @RequestBody RegisterRequest r) {
        var result = agents.register(new AgentRegistry.Registration(
                r.agentId(),
                r.application(),
                r.edgeNode(),
                r.skills(),
                r.capacity(),
                r.labels(),
                Caller.currentTenant().orElse(null)));
        return ResponseEntity.status(result.getValue() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(view(result.getKey()));
    }

    @GetMapping
    @Operation(
            summary = "List agents",
            description = "Filters: application, edgeNode, status (healthy, unhealthy, draining)")
    Cursors.Page<AgentView> list(
            @RequestParam(required = false) String application,
            @RequestParam(required = false) String edgeNode,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int n = Cursors.limit(limit, 50, 500);
        String after = Cursors.decode(cursor);
        List<AgentView> items =
                agents.list(application, edgeNode, status, after, n + 1, Caller.currentTenant()).stream()
                        .map(this::view)
                        .toList();
        return Cursors.page(items, n, AgentView::agentId);
    }

    @GetMapping("/{agentId}")
    @Operation(summary = "Get an agent with its health and queue depth")
    AgentView get(@PathVariable String agentId) {
        return view(agents.get(agentId, Caller.currentTenant()));
    }

    @PostMapping("/{agentId}/heartbeat")
    @Operation(
            summary = "Heartbeat",
            description = "Keeps the agent healthy and extends the listed leases; lists the leases it no "
                    + "longer holds and what became of their runs (cancelled, done, requeued)")
    HeartbeatResponse heartbeat(@PathVariable String agentId, @RequestBody(required = false) HeartbeatRequest request)
            throws Exception {
        agents.checkVisible(agentId, Caller.currentTenant());
        return bulkheads.call(agentId, () -> {
            var agent = agents.heartbeat(agentId);
            List<UUID> asked = request == null || request.leases() == null ? List.of() : request.leases();
            Map<UUID, Instant> held = queue.extend(agentId, asked, properties.leaseTimeout());
            List<UUID> lostIds =
                    asked.stream().filter(id -> !held.containsKey(id)).toList();
            return new HeartbeatResponse(
                    agentId,
                    agents.health(agent).wire(),
                    held.entrySet().stream()
                            .map(e -> new HeldLease(e.getKey(), e.getValue()))
                            .toList(),
                    queue.lost(lostIds));
        });
    }

    @PostMapping("/{agentId}:drain")
    @Operation(
            summary = "Drain an agent",
            description = "It keeps its leased work but gets no new work until it re-registers or resumes")
    AgentView drain(@PathVariable String agentId) {
        agents.get(agentId, Caller.currentTenant());
        return view(agents.setDraining(agentId, true));
    }

    @PostMapping("/{agentId}:resume")
    @Operation(summary = "Resume a drained agent")
    AgentView resume(@PathVariable String agentId) {
        agents.get(agentId, Caller.currentTenant());
        return view(agents.setDraining(agentId, false));
    }

    @PostMapping("/{agentId}/work:poll")
    @Operation(
            summary = "Long-poll for work",
            description =
                    "Leases up to max items (default 1), waiting up to waitSeconds "
                            + "(default 20, bounded by auraison.orchestration.max-poll-wait) for work to arrive; answers an empty list when none came")
    WorkResponse poll(@PathVariable String agentId, @Valid @RequestBody(required = false) PollRequest request)
            throws Exception {
        Optional<String> scope = Caller.currentTenant();
        return bulkheads.call(agentId, () -> {
            var agent = agents.get(agentId, scope);
            if (agent.draining()) return new WorkResponse(List.of());
            int max = request == null || request.max() == null ? 1 : Math.min(request.max(), agent.capacity());
            Duration wait =
                    Duration.ofSeconds(request == null || request.waitSeconds() == null ? 20 : request.waitSeconds());
            if (wait.compareTo(properties.maxPollWait()) > 0) wait = properties.maxPollWait();
            List<WorkQueue.Lease> leases = queue.poll(agentId, max, properties.leaseTimeout(), wait);
            return new WorkResponse(leases.stream()
                    .map(l -> new WorkItem(
                            l.runId(), l.leaseId(), l.attempt(), l.leaseExpiresAt(), l.nextSeq(), l.intent()))
                    .toList());
        });
    }

    @PostMapping("/{agentId}/work/{runId}:ack")
    @Operation(
            summary = "Acknowledge leased work",
            description = "The agent holds and started the run; extends the lease")
    Map<String, Object> ack(
            @PathVariable String agentId, @PathVariable String runId, @Valid @RequestBody LeaseRequest r)
            throws Exception {
        agents.checkVisible(agentId, Caller.currentTenant());
        return bulkheads.call(
                agentId,
                () -> Map.of(
                        "leaseExpiresAt", queue.ack(agentId, runId(runId), r.leaseId(), properties.leaseTimeout())));
    }

    @PostMapping("/{agentId}/work/{runId}:complete")
    @Operation(summary = "Complete leased work", description = "Idempotent once completed")
    ResponseEntity<Void> complete(
            @PathVariable String agentId, @PathVariable String runId, @Valid @RequestBody LeaseRequest r)
            throws Exception {
        agents.checkVisible(agentId, Caller.currentTenant());
        return bulkheads.call(agentId, () -> {
            queue.complete(agentId, runId(runId), r.leaseId());
            return ResponseEntity.noContent().build();
        });
    }

    @PostMapping("/{agentId}/work/{runId}:fail")
    @Operation(
            summary = "Fail leased work",
            description = "Retried with exponential backoff while attempts remain and retryable is "
                    + "not false; otherwise dead-lettered and the run fails")
    WorkQueue.FailResult fail(
            @PathVariable String agentId, @PathVariable String runId, @Valid @RequestBody FailRequest r)
            throws Exception {
        agents.checkVisible(agentId, Caller.currentTenant());
        return bulkheads.call(
                agentId,
                () -> queue.fail(
                        agentId, runId(runId), r.leaseId(), r.failure(), r.retryable() == null || r.retryable()));
    }

    private AgentView view(AgentRegistry.Agent a) {
        return new AgentView(
                a.agentId(),
                a.application(),
                a.edgeNode(),
                a.skills(),
                a.capacity(),
                a.labels(),
                agents.health(a).wire(),
                a.registeredAt(),
                a.lastHeartbeatAt(),
                backpressure.depth(a.agentId()));
    }

    static RunId runId(String text) {
        try {
            return RunId.of(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("runId", "not a run id (a UUID): " + text);
        }
    }
}
