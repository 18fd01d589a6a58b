package ai.auraison.bench.memory;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.EventId;
import ai.auraison.contract.Failure;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.PolicyEffect;
import ai.auraison.contract.PolicySubjectKind;
import ai.auraison.contract.RunId;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.contract.TenantId;
import ai.auraison.contract.ToolCallId;
import ai.auraison.contract.ToolResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Deterministic realistic runs as log rows (contract JSON bodies): admission, dispatch, start, 1–3 turns each with a
 * model call and 0–2 tool calls (1 in 8 failing) with their policy decisions, and an outcome (1 in 6 failing).
 * About 17 events and 6 KB of JSON per run on average. Not thread-safe: one per writer.
 */
final class BenchRuns {

    /** One row of {@code orchestration.run_events}, with its run's tenant. */
    record Row(UUID eventId, UUID runId, long seq, String kind, Instant ts, String body, String tenant) {}

    /** One run: its tenant, intent and agent, and its rows. */
    record Run(UUID runId, String tenant, String intentId, String agentId, Instant createdAt, List<Row> rows) {}

    private static final String V = SchemaVersions.CURRENT;
    private static final String[] TENANTS = {"acme", "globex", "initech", "umbrella"};
    private static final String[] TOOLS = {"move", "read_ranges", "grasp", "look"};
    private static final String[] MODELS = {"claude-sonnet-4-5", "qwen3-8b", "gpt-5-mini"};

    private final Random random;
    private final long stream;
    private long counter;
    private Instant clock;

    BenchRuns(long seed, Instant start) {
        this.random = new Random(seed);
        this.stream = seed;
        this.clock = start;
    }

    Run next() {
        String tenant = TENANTS[random.nextInt(TENANTS.length)];
        AgentId agent = AgentId.of("agent-" + random.nextInt(64) + ".edge");
        RunId runId = new RunId(new UUID(stream, ++counter));
        IntentId intent = IntentId.of("intent-" + stream + "-" + counter);
        List<AgentEvent> e = new ArrayList<>(24);
        long seq = 1;
        Instant created = tick();
        e.add(new AgentEvent.PolicyDecided(
                id(),
                runId,
                seq++,
                created,
                null,
                V,
                PolicySubjectKind.INTENT,
                intent.value(),
                PolicyEffect.ALLOW,
                "admission.targets",
                "target is healthy",
                false));
        e.add(new AgentEvent.RunQueued(
                id(), runId, seq++, tick(), null, V, intent, agent, TenantId.of(tenant), 5, null));
        e.add(new AgentEvent.RunDispatched(id(), runId, seq++, tick(), null, V, agent, 1, clock.plusSeconds(60)));
        e.add(new AgentEvent.RunStarted(id(), runId, seq++, tick(), null, V, agent, intent, 1, "pi", null));
        int turns = 1 + random.nextInt(3);
        long calls = 0;
        for (int t = 1; t <= turns; t++) {
            e.add(new AgentEvent.TurnStarted(id(), runId, seq++, tick(), null, V, t));
            String model = MODELS[random.nextInt(MODELS.length)];
            e.add(new AgentEvent.ModelCallCompleted(
                    id(),
                    runId,
                    seq++,
                    tick(),
                    null,
                    V,
                    model,
                    "auto",
                    "provider-" + model.charAt(0),
                    100 + random.nextInt(4000),
                    10 + random.nextInt(600),
                    BigDecimal.valueOf(random.nextInt(200_000), 8),
                    50L + random.nextInt(400),
                    200 + random.nextInt(3000),
                    random.nextInt(10) == 0,
                    random.nextInt(2),
                    false));
            int toolCalls = random.nextInt(3);
            for (int k = 0; k < toolCalls; k++) {
                String tool = TOOLS[random.nextInt(TOOLS.length)];
                ToolCallId call = ToolCallId.of("call_" + (++calls));
                e.add(new AgentEvent.PolicyDecided(
                        id(),
                        runId,
                        seq++,
                        tick(),
                        null,
                        V,
                        PolicySubjectKind.TOOL_CALL,
                        call.value(),
                        PolicyEffect.ALLOW,
                        "tool.granted",
                        null,
                        false));
                e.add(new AgentEvent.ToolCallRequested(
                        id(), runId, seq++, tick(), null, V, call, tool, Map.of("cells", 1 + random.nextInt(3))));
                ToolResult result = random.nextInt(8) == 0
                        ? new ToolResult.Error(new Failure("tool.timeout", "no answer from the robot"))
                        : new ToolResult.Output(Map.of("front", random.nextInt(4), "left", random.nextInt(4)));
                e.add(new AgentEvent.ToolCallCompleted(
                        id(), runId, seq++, tick(), null, V, call, tool, result, 1 + random.nextInt(500)));
            }
            e.add(new AgentEvent.MessageCompleted(
                    id(), runId, seq++, tick(), null, V, "assistant", "turn " + t + ": moving on", "toolUse"));
            e.add(new AgentEvent.TurnCompleted(id(), runId, seq++, tick(), null, V, t, toolCalls));
        }
        if (random.nextInt(6) == 0) {
            e.add(new AgentEvent.RunFailed(
                    id(), runId, seq++, tick(), null, V, new Failure("harness.crashed", "pi exited with 1")));
        } else {
            e.add(new AgentEvent.RunSucceeded(id(), runId, seq++, tick(), null, V, "solved", Map.of()));
        }
        List<Row> rows = new ArrayList<>(e.size());
        for (AgentEvent ev : e) {
            rows.add(new Row(
                    ev.eventId().value(), runId.value(), ev.seq(), ev.kind(), ev.ts(), ContractJson.write(ev), tenant));
        }
        return new Run(runId.value(), tenant, intent.value(), agent.value(), created, rows);
    }

    private EventId id() {
        return new EventId(new UUID(stream | 0x4000_0000_0000_0000L, ++counter));
    }

    private Instant tick() {
        clock = clock.plusMillis(1 + random.nextInt(50));
        return clock;
    }
}
