package ai.auraison.testfixtures;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.EventId;
import ai.auraison.contract.Failure;
import ai.auraison.contract.Intent;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.PolicyContext;
import ai.auraison.contract.RunId;
import ai.auraison.contract.RunState;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.contract.Skill;
import ai.auraison.contract.Target;
import ai.auraison.contract.TenantId;
import ai.auraison.contract.ToolCall;
import ai.auraison.contract.ToolCallId;
import ai.auraison.contract.ToolResult;
import ai.auraison.contract.ToolSpec;
import ai.auraison.contract.TreeRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Factories for contract values in tests: {@code anIntent()}, {@code aSkill()}, {@code aToolCall()}, {@code
 * aRunState()} and {@code eventsOf(runId)}, each valid by default and adjustable with {@code with…} methods.
 */
public final class ContractFixtures {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String V = SchemaVersions.CURRENT;

    private ContractFixtures() {}

    /** A fresh intent id unique within the JVM. */
    public static IntentId anyIntentId() {
        return IntentId.of("it-" + SEQUENCE.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8));
    }

    /** An intent of type {@code maze.solve} for {@code turtlebot-maze.edge-1} of tenant {@code acme}. */
    public static IntentBuilder anIntent() {
        return new IntentBuilder();
    }

    /** A skill {@code maze-navigation} of {@code turtlebot-maze} offering {@code maze.solve} with one tool. */
    public static SkillBuilder aSkill() {
        return new SkillBuilder();
    }

    /** A tool spec whose input has one required integer {@code cells} in 1..3. */
    public static ToolSpec aToolSpec(String name) {
        return new ToolSpec(
                name,
                "Test tool " + name,
                Map.of(
                        "type", "object",
                        "properties", Map.of("cells", Map.of("type", "integer", "minimum", 1, "maximum", 3)),
                        "required", List.of("cells")),
                Map.of("type", "object"));
    }

    /** A requested (not yet completed) call of tool {@code move} in a new run. */
    public static ToolCall aToolCall() {
        return new ToolCall(
                ToolCallId.of("call_" + SEQUENCE.incrementAndGet()),
                RunId.random(),
                "move",
                Map.of("cells", 1),
                aToolSpec("move").inputSchema(),
                aToolSpec("move").outputSchema(),
                null,
                new ToolCall.Timing(Instant.now(), null, null),
                V);
    }

    /** A pending run state for a new run of a new intent. */
    public static RunState aRunState() {
        return RunState.pending(RunId.random(), anyIntentId(), AgentId.of("turtlebot-maze.edge-1"), Instant.now());
    }

    /** Builds a well-sequenced event stream for {@code runId}, starting at seq 1. */
    public static EventStream eventsOf(RunId runId) {
        return new EventStream(runId, 1);
    }

    /** Builder of {@link Intent}s. */
    public static final class IntentBuilder {
        private IntentId intentId = anyIntentId();
        private String type = "maze.solve";
        private Map<String, Object> params = Map.of("maze", "classic-8x8");
        private PolicyContext policyCtx = new PolicyContext(TenantId.of("acme"), "operator@acme", "test", null);
        private List<Target> targets = List.of(Target.agent(AgentId.of("turtlebot-maze.edge-1")));
        private Integer priority;
        private Instant deadline;

        public IntentBuilder withId(String id) {
            this.intentId = IntentId.of(id);
            return this;
        }

        public IntentBuilder withType(String intentType) {
            this.type = intentType;
            return this;
        }

        public IntentBuilder withParams(Map<String, Object> value) {
            this.params = value;
            return this;
        }

        public IntentBuilder forTenant(String tenant) {
            this.policyCtx = new PolicyContext(
                    TenantId.of(tenant), policyCtx.principal(), policyCtx.purpose(), policyCtx.budgetRef());
            return this;
        }

        public IntentBuilder byPrincipal(String principal) {
            this.policyCtx =
                    new PolicyContext(policyCtx.tenant(), principal, policyCtx.purpose(), policyCtx.budgetRef());
            return this;
        }

        public IntentBuilder targeting(String agentId) {
            this.targets = List.of(Target.agent(AgentId.of(agentId)));
            return this;
        }

        public IntentBuilder targetingApplication(String application) {
            this.targets = List.of(Target.application(application));
            return this;
        }

        public IntentBuilder withPriority(int value) {
            this.priority = value;
            return this;
        }

        public IntentBuilder withDeadline(Instant value) {
            this.deadline = value;
            return this;
        }

        public Intent build() {
            return new Intent(intentId, type, params, policyCtx, targets, priority, deadline, V);
        }
    }

    /** Builder of {@link Skill}s. */
    public static final class SkillBuilder {
        private String name = "maze-navigation";
        private String application = "turtlebot-maze";
        private List<String> intentTypes = List.of("maze.solve");
        private List<ToolSpec> tools = List.of(aToolSpec("move"));

        public SkillBuilder named(String value) {
            this.name = value;
            return this;
        }

        public SkillBuilder ofApplication(String value) {
            this.application = value;
            return this;
        }

        public SkillBuilder offering(String... types) {
            this.intentTypes = List.of(types);
            return this;
        }

        public SkillBuilder withTools(ToolSpec... specs) {
            this.tools = List.of(specs);
            return this;
        }

        public Skill build() {
            return new Skill(
                    name,
                    "1.0.0",
                    "Test skill " + name,
                    "# " + name + "\n\nDo the thing.",
                    tools,
                    application,
                    intentTypes,
                    V);
        }
    }

    /** Appends well-sequenced events of one run. */
    public static final class EventStream {
        private final RunId runId;
        private long seq;
        private final List<AgentEvent> events = new ArrayList<>();
        private final TreeRef tree = new TreeRef("session-" + UUID.randomUUID(), null);

        EventStream(RunId runId, long firstSeq) {
            this.runId = runId;
            this.seq = firstSeq;
        }

        private EventId id() {
            return EventId.random();
        }

        private Instant now() {
            return Instant.now();
        }

        public EventStream started(AgentId agent, IntentId intent) {
            events.add(new AgentEvent.RunStarted(id(), runId, seq++, now(), tree, V, agent, intent, 1, "pi", null));
            return this;
        }

        public EventStream turn(int turn) {
            events.add(new AgentEvent.TurnStarted(id(), runId, seq++, now(), tree, V, turn));
            return this;
        }

        public EventStream toolCall(String tool, Map<String, Object> input, Map<String, Object> output) {
            ToolCallId call = ToolCallId.of("call_" + SEQUENCE.incrementAndGet());
            events.add(new AgentEvent.ToolCallRequested(id(), runId, seq++, now(), tree, V, call, tool, input));
            events.add(new AgentEvent.ToolCallCompleted(
                    id(), runId, seq++, now(), tree, V, call, tool, new ToolResult.Output(output), 3));
            return this;
        }

        public EventStream message(String role, String text) {
            events.add(new AgentEvent.MessageCompleted(id(), runId, seq++, now(), tree, V, role, text, "stop"));
            return this;
        }

        public EventStream succeeded(String summary) {
            events.add(new AgentEvent.RunSucceeded(id(), runId, seq++, now(), tree, V, summary, Map.of()));
            return this;
        }

        public EventStream failed(String code, String message) {
            events.add(new AgentEvent.RunFailed(id(), runId, seq++, now(), tree, V, new Failure(code, message)));
            return this;
        }

        /** The next sequence number this stream would use. */
        public long nextSeq() {
            return seq;
        }

        public List<AgentEvent> build() {
            return List.copyOf(events);
        }
    }
}
