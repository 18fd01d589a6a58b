package ai.auraison.bench.governance;

import ai.auraison.bench.Latencies;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.Intent;
import ai.auraison.contract.PolicyEffect;
import ai.auraison.contract.RunId;
import ai.auraison.contract.TenantId;
import ai.auraison.contract.ToolCall;
import ai.auraison.contract.ToolCallId;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.governance.policy.PolicyDocuments;
import ai.auraison.governance.policy.PolicyEngine;
import ai.auraison.governance.policy.PolicySet;
import ai.auraison.testfixtures.ContractFixtures;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Policy decision latency with 1,000 active rules (goal: p99 ≤ 1 ms): the built-in baseline plus a tenant set of
 * 1,000 generated rules over all three subject kinds (tenants, principals, applications, agents, intent types, tools,
 * models with wildcards; JSON-pointer input conditions; cost ranges; time windows), decided in-process by the same
 * {@link PolicyEngine} the central hook and the edge decider use, on one thread, for a mix of intents, tool calls and
 * model calls (the share decided deny or require-approval is printed).
 *
 * <pre>bench/run PolicyDecisionBench [decisions, default 300000] [rules, default 1000]</pre>
 */
public final class PolicyDecisionBench {

    public static void main(String[] args) {
        int decisions = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int ruleCount = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Random random = new Random(42);
        PolicySet baseline = PolicyDocuments.parse(
                "name: auraison-baseline\nrules:\n  - {id: recommend, subjects: [tool_call], effect: require_approval, "
                        + "when: {tools: [recommend_response]}}\n");
        PolicySet tenantSet = PolicyDocuments.parse(generate(ruleCount, random));
        PolicyEngine engine = PolicyEngine.of(List.of(baseline, tenantSet), PolicyEffect.ALLOW);
        System.out.printf(
                "machine: %d cores, %s %s; engine with %d rules%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("java.version"),
                engine.ruleCount());

        List<PolicySubject> subjects = new ArrayList<>();
        List<DecisionContext> contexts = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            String tenant = "tenant-" + random.nextInt(20);
            DecisionContext ctx = new DecisionContext(
                    TenantId.of(tenant),
                    "principal-" + random.nextInt(50),
                    APPS[random.nextInt(APPS.length)],
                    AgentId.of("agent-" + random.nextInt(200)),
                    RunId.random(),
                    Instant.parse("2026-03-02T10:00:00Z").plusSeconds(random.nextInt(86_400 * 7)),
                    false,
                    Map.of());
            contexts.add(ctx);
            subjects.add(
                    switch (i % 3) {
                        case 0 -> new PolicySubject.IntentSubject(intent(tenant, random));
                        case 1 -> toolCall(random);
                        default ->
                            new PolicySubject.ModelCallSubject(
                                    TenantId.of(tenant),
                                    RunId.random(),
                                    MODELS[random.nextInt(MODELS.length)],
                                    1000,
                                    500,
                                    new BigDecimal(random.nextInt(300)).movePointLeft(2));
                    });
        }

        long nonAllow = 0;
        for (int i = 0; i < 200_000; i++) { // warm-up: JIT
            nonAllow += engine.evaluate(subjects.get(i & 4095), contexts.get(i & 4095))
                                    .decision()
                                    .effect()
                            == PolicyEffect.ALLOW
                    ? 0
                    : 1;
        }
        Latencies latencies = new Latencies();
        nonAllow = 0;
        long started = System.nanoTime();
        for (int i = 0; i < decisions; i++) {
            PolicySubject s = subjects.get(i & 4095);
            DecisionContext c = contexts.get(i & 4095);
            long t0 = System.nanoTime();
            var e = engine.evaluate(s, c);
            latencies.add(System.nanoTime() - t0);
            if (e.decision().effect() != PolicyEffect.ALLOW) nonAllow++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Latencies all = Latencies.merge(List.of(latencies));
        System.out.printf(
                "%d decisions in %.2f s (%.0f/s on one thread); %.1f %% deny or require approval%n",
                decisions, seconds, decisions / seconds, 100.0 * nonAllow / decisions);
        System.out.printf(
                "latency: p50=%.1f µs p90=%.1f µs p99=%.1f µs p99.9=%.1f µs max=%.1f µs%n",
                all.millis(0.5) * 1000,
                all.millis(0.9) * 1000,
                all.millis(0.99) * 1000,
                all.millis(0.999) * 1000,
                all.millis(1.0) * 1000);
        System.out.println(all.millis(0.99) <= 1.0 ? "goal p99 <= 1 ms: met" : "goal p99 <= 1 ms: NOT met");
    }

    private static final String[] APPS = {"turtlebot-maze", "ar4-physical-ai", "deep-evidence-agent", "counter-uas"};
    private static final String[] TOOLS = {
        "detect_objects", "track_objects", "classify_track", "recommend_response", "move_to", "grasp", "search", "read"
    };
    private static final String[] TYPES = {
        "maze.solve", "maze.explore", "arm.pick", "evidence.answer-question", "uas.assess-track"
    };
    private static final String[] MODELS = {"claude-opus-4", "claude-sonnet-4", "gpt-5", "llama-3-70b", "qwen-2.5"};

    private static Intent intent(String tenant, Random random) {
        return ContractFixtures.anIntent()
                .forTenant(tenant)
                .byPrincipal("principal-" + random.nextInt(50))
                .withType(TYPES[random.nextInt(TYPES.length)])
                .withParams(Map.of("size", random.nextInt(200), "mode", random.nextBoolean() ? "fast" : "safe"))
                .build();
    }

    private static PolicySubject toolCall(Random random) {
        return new PolicySubject.ToolCallSubject(
                new ToolCall(
                        ToolCallId.of("call_" + random.nextInt(1_000_000)),
                        RunId.random(),
                        TOOLS[random.nextInt(TOOLS.length)],
                        Map.of("action", random.nextBoolean() ? "alert" : "jam", "speed", random.nextInt(10)),
                        null,
                        null,
                        null,
                        null,
                        null),
                "skill");
    }

    /** A tenant set of {@code n} rules: a realistic spread of conditions over the three subject kinds. */
    static String generate(int n, Random random) {
        StringBuilder y = new StringBuilder("name: generated\nrules:\n");
        String[] effects = {"allow", "deny", "require_approval"};
        for (int i = 0; i < n; i++) {
            String effect = effects[random.nextInt(effects.length)];
            y.append("  - id: rule-").append(i).append('\n');
            y.append("    effect: ").append(effect).append('\n');
            switch (i % 3) {
                case 0 -> {
                    y.append("    subjects: [intent]\n    when:\n");
                    y.append("      tenants: [tenant-")
                            .append(random.nextInt(20))
                            .append("]\n");
                    y.append("      intentTypes: [\"")
                            .append(TYPES[random.nextInt(TYPES.length)].split("\\.")[0])
                            .append(".*\"]\n");
                    y.append("      input: [{pointer: /size, greaterThan: ")
                            .append(100 + random.nextInt(100))
                            .append("}]\n");
                }
                case 1 -> {
                    y.append("    subjects: [tool_call]\n    when:\n");
                    y.append("      tools: [")
                            .append(TOOLS[random.nextInt(TOOLS.length)])
                            .append("]\n");
                    y.append("      agents: [\"agent-")
                            .append(random.nextInt(20))
                            .append("*\"]\n");
                    y.append("      input: [{pointer: /action, in: [jam, intercept]}]\n");
                    if (random.nextInt(4) == 0) {
                        y.append(
                                "      timeWindow: {days: [sat, sun], from: \"22:00\", to: \"06:00\", zone: Europe/Berlin}\n");
                    }
                }
                default -> {
                    y.append("    subjects: [model_call]\n    when:\n");
                    y.append("      models: [\"")
                            .append(MODELS[random.nextInt(MODELS.length)].substring(0, 5))
                            .append("*\"]\n");
                    y.append("      principals: [principal-")
                            .append(random.nextInt(50))
                            .append("]\n");
                    y.append("      estimatedCostUsd: {above: ")
                            .append(random.nextInt(3))
                            .append("}\n");
                }
            }
        }
        return y.toString();
    }
}
