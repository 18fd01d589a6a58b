package ai.auraison.memory;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
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
 * Realistic runs as contract events, deterministic for a seed: admission, dispatch, start, turns with tool calls
 * (some failing) and model calls, policy decisions, and an outcome (mostly success, some failures).
 */
final class RunScenarios {

    static final String V = SchemaVersions.CURRENT;
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final List<String> TENANTS = List.of("acme", "globex", "initech");
    static final List<String> AGENTS = List.of("turtlebot-maze.edge-1", "turtlebot-maze.edge-2", "ar4.edge-1");
    static final List<String> TOOLS = List.of("move", "read_ranges", "grasp");
    static final List<String> MODELS = List.of("claude-sonnet-4-5", "qwen3-8b");

    /** One run's events with the tenant that owns it. */
    record Run(String tenant, RunId runId, List<AgentEvent> events) {}

    private final Random random;
    private long clockMs;
    private long calls;

    RunScenarios(long seed) {
        this.random = new Random(seed);
    }

    /** {@code n} runs. */
    List<Run> runs(int n) {
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(run());
        return out;
    }

    Run run() {
        String tenant = TENANTS.get(random.nextInt(TENANTS.size()));
        AgentId agent = AgentId.of(AGENTS.get(random.nextInt(AGENTS.size())));
        RunId runId = new RunId(new UUID(random.nextLong(), random.nextLong()));
        IntentId intent = IntentId.of("intent-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE));
        List<AgentEvent> e = new ArrayList<>();
        long[] seq = {1};
        e.add(new AgentEvent.PolicyDecided(
                id(),
                runId,
                seq[0]++,
                tick(),
                null,
                V,
                PolicySubjectKind.INTENT,
                intent.value(),
                PolicyEffect.ALLOW,
                "admission.targets",
                "target is healthy",
                false));
        e.add(new AgentEvent.RunQueued(
                id(), runId, seq[0]++, tick(), null, V, intent, agent, TenantId.of(tenant), 5, null));
        e.add(new AgentEvent.RunDispatched(id(), runId, seq[0]++, tick(), null, V, agent, 1, tick().plusSeconds(60)));
        e.add(new AgentEvent.RunStarted(id(), runId, seq[0]++, tick(), null, V, agent, intent, 1, "pi", null));
        int turns = 1 + random.nextInt(3);
        for (int t = 1; t <= turns; t++) {
            e.add(new AgentEvent.TurnStarted(id(), runId, seq[0]++, tick(), null, V, t));
            String model = MODELS.get(random.nextInt(MODELS.size()));
            e.add(new AgentEvent.ModelCallCompleted(
                    id(),
                    runId,
                    seq[0]++,
                    tick(),
                    null,
                    V,
                    model,
                    "auto",
                    model.startsWith("claude") ? "anthropic" : "vllm",
                    100 + random.nextInt(2000),
                    10 + random.nextInt(300),
                    BigDecimal.valueOf(random.nextInt(100_000), 8),
                    50L + random.nextInt(400),
                    200 + random.nextInt(3000),
                    random.nextInt(10) == 0,
                    random.nextInt(2),
                    false));
            int toolCalls = random.nextInt(3);
            for (int k = 0; k < toolCalls; k++) {
                String tool = TOOLS.get(random.nextInt(TOOLS.size()));
                ToolCallId call = ToolCallId.of("call_" + (++calls));
                e.add(new AgentEvent.PolicyDecided(
                        id(),
                        runId,
                        seq[0]++,
                        tick(),
                        null,
                        V,
                        PolicySubjectKind.TOOL_CALL,
                        call.value(),
                        random.nextInt(20) == 0 ? PolicyEffect.DENY : PolicyEffect.ALLOW,
                        "tool.granted",
                        null,
                        false));
                e.add(new AgentEvent.ToolCallRequested(
                        id(), runId, seq[0]++, tick(), null, V, call, tool, Map.of("cells", 1 + random.nextInt(3))));
                ToolResult result = random.nextInt(8) == 0
                        ? new ToolResult.Error(new Failure("tool.timeout", "no answer from the robot"))
                        : new ToolResult.Output(Map.of("ok", true));
                e.add(new AgentEvent.ToolCallCompleted(
                        id(), runId, seq[0]++, tick(), null, V, call, tool, result, 1 + random.nextInt(500)));
            }
            e.add(new AgentEvent.TurnCompleted(id(), runId, seq[0]++, tick(), null, V, t, toolCalls));
        }
        if (random.nextInt(6) == 0) {
            e.add(new AgentEvent.RunFailed(
                    id(), runId, seq[0]++, tick(), null, V, new Failure("harness.crashed", "pi exited with 1")));
        } else {
            e.add(new AgentEvent.MessageCompleted(id(), runId, seq[0]++, tick(), null, V, "assistant", "done", "stop"));
            e.add(new AgentEvent.RunSucceeded(id(), runId, seq[0]++, tick(), null, V, "solved", Map.of()));
        }
        return new Run(tenant, runId, e);
    }

    private EventId id() {
        return new EventId(new UUID(random.nextLong(), random.nextLong()));
    }

    private Instant tick() {
        clockMs += 1 + random.nextInt(2_000);
        return T0.plusMillis(clockMs);
    }
}
