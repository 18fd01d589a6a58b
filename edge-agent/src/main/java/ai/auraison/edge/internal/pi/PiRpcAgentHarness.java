package ai.auraison.edge.internal.pi;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.EventId;
import ai.auraison.contract.Failure;
import ai.auraison.contract.RunId;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.contract.Skill;
import ai.auraison.contract.SkillFolders;
import ai.auraison.contract.ToolCall;
import ai.auraison.contract.ToolResult;
import ai.auraison.contract.ToolSpec;
import ai.auraison.contract.spi.AgentHarness;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.execution.ToolInvocation;
import ai.auraison.execution.ToolRouter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's {@link AgentHarness} over Pi in RPC mode: a warm pool of {@code pi --mode rpc} processes per agent, each
 * with its own isolated Pi config folder, offline mode, the agent's skills materialised as Pi skill folders, the
 * Auraison extension loaded, and model traffic sent to a configured OpenAI-compatible base URL. The extension calls
 * back into {@link #tool} and {@link #policy} with the process token of its process.
 *
 * <p>Thread-safe. Each run drives its process on a virtual thread of its own.
 */
public final class PiRpcAgentHarness implements AgentHarness {

    /** Timings and limits of runs and processes. */
    public record Settings(
            Duration rpcTimeout,
            Duration acquireTimeout,
            Duration runTimeout,
            Duration stallTimeout,
            Duration startTimeout) {}

    /** How to reach Pi and the model. */
    public record Installation(
            Path node, Path cli, Path extension, String edgeUrl, String modelBaseUrl, String model, String apiKey) {}

    /** An agent the harness runs: its skills and pool size. */
    public record Agent(AgentId agentId, String application, List<Skill> skills, int poolSize) {}

    private static final Logger log = LoggerFactory.getLogger(PiRpcAgentHarness.class);
    private static final String V = SchemaVersions.CURRENT;

    private final Path root;
    private final MeterRegistry metrics;
    private volatile Installation installation;
    private volatile boolean modelConfigured;
    private final Settings settings;
    private final ToolRouter tools;
    private final Supplier<List<PolicyHook>> policies;
    private final Map<AgentId, Agent> agents = new LinkedHashMap<>();
    private final Map<AgentId, PiPool> pools = new ConcurrentHashMap<>();
    private final Map<String, PiSlot> byToken = new ConcurrentHashMap<>();
    private final Map<RunId, PiRun> runs = new ConcurrentHashMap<>();
    private final Map<String, String> sessionFiles = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public PiRpcAgentHarness(
            Path root,
            Settings settings,
            List<Agent> agents,
            ToolRouter tools,
            Supplier<List<PolicyHook>> policies,
            MeterRegistry metrics) {
        this.root = root;
        this.settings = settings;
        this.tools = tools;
        this.policies = policies;
        this.metrics = metrics;
        for (Agent a : agents) this.agents.put(a.agentId(), a);
    }

    /**
     * Starts the warm pools once the edge's own address and the model endpoint are known (the extension calls back to
     * the edge); does nothing when already started.
     */
    public synchronized void start(Installation installation) {
        if (this.installation != null) return;
        this.installation = installation;
        for (Agent a : agents.values()) {
            Path home = prepare(a);
            PiPool pool = new PiPool(a.agentId().value(), a.poolSize(), index -> startProcess(a, home, index));
            pools.put(a.agentId(), pool);
            Gauge.builder("auraison.edge.pi.warm", pool, PiPool::warm)
                    .tag("agent", a.agentId().value())
                    .register(metrics);
            Gauge.builder("auraison.edge.pi.busy", pool, PiPool::busy)
                    .tag("agent", a.agentId().value())
                    .register(metrics);
            Gauge.builder("auraison.edge.pi.restarts", pool, PiPool::restarts)
                    .tag("agent", a.agentId().value())
                    .register(metrics);
            Gauge.builder(
                            "auraison.edge.pi.resident.bytes",
                            pool,
                            p -> p.residentBytes().stream()
                                    .mapToLong(Long::longValue)
                                    .max()
                                    .orElse(0))
                    .description("Largest resident memory of one Pi process of the agent")
                    .tag("agent", a.agentId().value())
                    .register(metrics);
        }
    }

    /** Records whether a model endpoint is configured (the pools cannot start without one). */
    public void modelConfigured(boolean configured) {
        this.modelConfigured = configured;
    }

    public boolean modelConfigured() {
        return modelConfigured;
    }

    /** Whether the pools were started. */
    public boolean started() {
        return installation != null;
    }

    @Override
    public String name() {
        return "pi";
    }

    /** The agents this harness runs. */
    public List<Agent> agents() {
        return List.copyOf(agents.values());
    }

    /** Pool figures of an agent: warm, busy, restarts, resident bytes per process. */
    public Map<String, Object> poolStatus(AgentId agent) {
        PiPool p = pools.get(agent);
        if (p == null) return Map.of();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("size", p.size());
        status.put("warm", p.warm());
        status.put("busy", p.busy());
        status.put("restarts", p.restarts());
        status.put("pids", p.pids());
        status.put("residentBytes", p.residentBytes());
        return status;
    }

    /** Whether every pool has at least one warm process. */
    public boolean warm() {
        return pools.values().stream().allMatch(p -> p.warm() + p.busy() > 0);
    }

    /** The skill of {@code agent} that offers intents of {@code type}. */
    public Optional<Skill> skillFor(AgentId agent, String type) {
        Agent a = agents.get(agent);
        return a == null
                ? Optional.empty()
                : a.skills().stream().filter(s -> s.offers(type)).findFirst();
    }

    @Override
    public HarnessRun start(StartRun command, EventSink sink) {
        PiRun existing = runs.get(command.runId());
        if (existing != null) return existing;
        Agent agent = agents.get(command.agentId());
        PiPool pool = pools.get(command.agentId());
        Skill skill = agent == null
                ? null
                : skillFor(command.agentId(), command.intent().type()).orElse(null);
        String forkFile = command.forkFrom() == null
                ? null
                : sessionFiles.get(command.forkFrom().sessionId());
        PiRun run = new PiRun(
                command,
                event -> {
                    if (event instanceof AgentEvent.RunStarted && event.treeRef() != null) {
                        PiRun self = runs.get(event.runId());
                        if (self != null && self.sessionFile() != null)
                            sessionFiles.put(event.treeRef().sessionId(), self.sessionFile());
                    }
                    sink.accept(event);
                },
                skill,
                forkFile,
                settings);
        runs.put(command.runId(), run);
        run.finished().whenComplete((e, t) -> runs.remove(command.runId()));
        if (agent == null) {
            run.fail("harness.unknown_agent", "this edge runs no agent " + command.agentId());
        } else if (pool == null) {
            run.fail(
                    "harness.not_started",
                    "the Pi harness has not started (no Pi installation or no model configured)");
        } else if (skill == null) {
            run.fail(
                    "harness.no_skill",
                    "agent " + command.agentId() + " has no skill offering "
                            + command.intent().type());
        } else if (command.forkFrom() != null
                && (forkFile == null || command.forkFrom().entryId() == null)) {
            run.fail(
                    "harness.unknown_tree_entry",
                    "no session " + command.forkFrom().sessionId() + " with an entry to fork from is known here");
        } else {
            Thread.ofVirtual().name("run-" + command.runId()).start(() -> run.drive(pool));
        }
        return run;
    }

    /** The run in progress, if any. */
    public Optional<HarnessRun> run(RunId runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    /** Aborts a run on behalf of {@code by}. */
    public void abort(RunId runId, String by, String reason) {
        PiRun run = runs.get(runId);
        if (run != null) run.abort(by, reason);
    }

    /** The Pi session file of {@code sessionId}, if a run here created it. */
    public Optional<String> sessionFile(String sessionId) {
        return Optional.ofNullable(sessionFiles.get(sessionId));
    }

    /** Whether {@code sessionId} is a Pi session of an earlier run here (a run can be forked from its entries). */
    public boolean knowsSession(String sessionId) {
        return sessionFiles.containsKey(sessionId);
    }

    /** Remembers a session file, for forks after a restart of the edge. */
    public void rememberSession(String sessionId, String sessionFile) {
        if (sessionFile != null) sessionFiles.put(sessionId, sessionFile);
    }

    /** The tree of a session as Pi stores it: every entry of its file, in append order. */
    public List<Map<String, Object>> entries(String sessionId) {
        String file = sessionFiles.get(sessionId);
        if (file == null || !Files.exists(Path.of(file))) return List.of();
        try {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.isBlank()) continue;
                @SuppressWarnings("unchecked")
                Map<String, Object> entry = ContractJson.mapper().readValue(line, Map.class);
                if ("session".equals(entry.get("type"))) continue;
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("id", entry.get("id"));
                summary.put("parentId", entry.get("parentId"));
                summary.put("type", entry.get("type"));
                if (entry.get("message") instanceof Map<?, ?> m) summary.put("role", m.get("role"));
                out.add(summary);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decides on a tool call the Pi process behind {@code token} is about to make; records the decisions. Pi asks before
     * it announces the call on stdout, so a run's {@code PolicyDecided} for a call precedes its {@code ToolCallRequested}.
     */
    public PolicyDecision policy(String token, String toolCallId, String tool, Map<String, Object> input) {
        PiRun run = runOf(token);
        if (run == null) return PolicyDecision.deny("edge.no-run", "the calling Pi process runs no run now");
        var command = run.command();
        ToolCall call = new ToolCall(
                PiRun.toolCallId(toolCallId),
                command.runId(),
                tool,
                input,
                null,
                null,
                null,
                new ToolCall.Timing(Instant.now(), null, null),
                V);
        DecisionContext context = new DecisionContext(
                command.intent().policyCtx().tenant(),
                command.intent().policyCtx().principal(),
                run.skill().application(),
                command.agentId(),
                command.runId(),
                Instant.now(),
                false,
                Map.of("skill", run.skill().name()));
        List<PolicyHook> chain = new ArrayList<>();
        chain.add(grantedTools(run));
        chain.addAll(policies.get());
        List<PolicyDecision> decisions = PolicyHook.chain(
                chain, new PolicySubject.ToolCallSubject(call, run.skill().name()), context);
        for (PolicyDecision d : decisions) {
            run.emit(seq -> new AgentEvent.PolicyDecided(
                    EventId.random(),
                    command.runId(),
                    seq,
                    Instant.now(),
                    run.treeRef(),
                    V,
                    ai.auraison.contract.PolicySubjectKind.TOOL_CALL,
                    call.toolCallId().value(),
                    d.effect(),
                    d.rule(),
                    d.reason().isEmpty() ? null : d.reason(),
                    ai.auraison.governance.policy.EdgePolicyDecider.isDegraded(d)));
        }
        return decisions.getLast();
    }

    /** Runs a tool call the Pi process behind {@code token} makes. */
    public ToolResult tool(String token, String toolCallId, String tool, Map<String, Object> input) {
        PiRun run = runOf(token);
        if (run == null)
            return new ToolResult.Error(new Failure("tool.no_run", "the calling Pi process runs no run now"));
        Optional<ToolSpec> spec = run.skill().tool(tool);
        if (spec.isEmpty()) {
            return new ToolResult.Error(
                    new Failure("tool.not_granted", "skill " + run.skill().name() + " grants no tool " + tool));
        }
        var command = run.command();
        return tools.execute(
                new ToolInvocation(
                        command.runId(),
                        PiRun.toolCallId(toolCallId),
                        command.agentId(),
                        run.skill().application(),
                        tool,
                        input),
                spec.get());
    }

    /** Whether {@code token} belongs to a live process of this harness. */
    public boolean knowsToken(String token) {
        return token != null && byToken.containsKey(token);
    }

    private PiRun runOf(String token) {
        PiSlot slot = token == null ? null : byToken.get(token);
        return slot == null ? null : slot.run();
    }

    private static PolicyHook grantedTools(PiRun run) {
        return new PolicyHook() {
            @Override
            public String name() {
                return "edge.tool-granted";
            }

            @Override
            public PolicyDecision decide(PolicySubject subject, DecisionContext context) {
                String tool = ((PolicySubject.ToolCallSubject) subject).call().tool();
                return run.skill().tool(tool).isPresent()
                        ? PolicyDecision.allow("edge.tool-granted")
                        : PolicyDecision.deny(
                                "edge.tool-granted", "skill " + run.skill().name() + " does not grant tool " + tool);
            }
        };
    }

    /** Writes the agent's folder: its skills as Pi skill folders and the tool list the extension registers. */
    private Path prepare(Agent agent) {
        Path home = root.resolve("agents").resolve(agent.agentId().value());
        try {
            Path skills = home.resolve("skills");
            if (Files.exists(skills)) {
                try (var old = Files.walk(skills)) {
                    old.sorted(java.util.Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(skills);
            for (Skill s : agent.skills()) SkillFolders.write(s, skills);
            List<ToolSpec> all = new ArrayList<>();
            agent.skills().forEach(s -> all.addAll(s.tools()));
            Files.writeString(home.resolve("tools.json"), ContractJson.write(all));
            Files.createDirectories(home.resolve("sessions"));
            Files.createDirectories(home.resolve("workspace"));
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Pi folder of " + agent.agentId(), e);
        }
    }

    private PiSlot startProcess(Agent agent, Path home, int index) throws Exception {
        Path config = home.resolve("proc-" + index);
        Path agentDir = config.resolve("pi");
        Files.createDirectories(agentDir);
        Files.createDirectories(config.resolve("home"));
        Files.createDirectories(config.resolve("tmp"));
        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("baseUrl", installation.modelBaseUrl());
        provider.put("api", "openai-completions");
        provider.put(
                "apiKey",
                installation.apiKey() == null || installation.apiKey().isBlank() ? "none" : "AURAISON_MODEL_KEY");
        provider.put("compat", Map.of("supportsDeveloperRole", false, "supportsReasoningEffort", false));
        provider.put(
                "models",
                List.of(Map.of(
                        "id",
                        installation.model(),
                        "name",
                        installation.model(),
                        "contextWindow",
                        128000,
                        "maxTokens",
                        4096)));
        Files.writeString(
                agentDir.resolve("models.json"), ContractJson.write(Map.of("providers", Map.of("auraison", provider))));
        Files.writeString(
                agentDir.resolve("settings.json"),
                ContractJson.write(Map.of(
                        "defaultProvider",
                        "auraison",
                        "defaultModel",
                        installation.model(),
                        "enableInstallTelemetry",
                        false,
                        "quietStartup",
                        true,
                        "retry",
                        Map.of("enabled", false),
                        "compaction",
                        Map.of("enabled", false),
                        "defaultProjectTrust",
                        "never")));
        String token = token();
        List<String> command = new ArrayList<>(List.of(
                installation.node().toString(),
                installation.cli().toString(),
                "--mode",
                "rpc",
                "--session-dir",
                home.resolve("sessions").toString(),
                "--no-extensions",
                "-e",
                installation.extension().toString(),
                "--no-skills"));
        for (Skill s : agent.skills()) {
            command.add("--skill");
            command.add(home.resolve("skills").resolve(s.name()).toString());
        }
        command.addAll(List.of(
                "--no-prompt-templates",
                "--no-context-files",
                "--no-approve",
                "--no-builtin-tools",
                "--provider",
                "auraison",
                "--model",
                installation.model(),
                "--thinking",
                "off"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PI_CODING_AGENT_DIR", agentDir.toString());
        env.put("PI_OFFLINE", "1");
        env.put("PI_TELEMETRY", "0");
        env.put("HOME", config.resolve("home").toString());
        env.put("TMPDIR", config.resolve("tmp").toString());
        env.put("NODE_COMPILE_CACHE", root.resolve("node-compile-cache").toString());
        env.put("AURAISON_EDGE_URL", installation.edgeUrl());
        env.put("AURAISON_PROCESS_TOKEN", token);
        env.put("AURAISON_TOOLS_FILE", home.resolve("tools.json").toString());
        env.put("AURAISON_TOOL_TIMEOUT_MS", Long.toString(settings.runTimeout().toMillis()));
        if (installation.apiKey() != null && !installation.apiKey().isBlank())
            env.put("AURAISON_MODEL_KEY", installation.apiKey());
        PiRpcProcess process = PiRpcProcess.start(new PiRpcProcess.Launch(
                command, env, home.resolve("workspace"), agent.agentId().value() + "-" + index));
        try {
            var state = process.request("get_state", Map.of(), settings.startTimeout())
                    .join();
            String model = state.path("model").path("id").asString("unknown");
            if ("unknown".equals(model)) {
                throw new IllegalStateException("Pi started without a usable model (check auraison.edge.model.*)");
            }
        } catch (RuntimeException e) {
            process.kill();
            throw new IllegalStateException("Pi did not answer its handshake: " + e.getMessage() + tail(process), e);
        }
        PiSlot slot = new PiSlot(index, process, token);
        byToken.put(token, slot);
        process.exit().thenRun(() -> byToken.remove(token));
        log.info("pi {} slot {} warm (pid {})", agent.agentId(), index, process.pid());
        return slot;
    }

    private String token() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String tail(PiRpcProcess p) {
        String t = p.stderrTail();
        return t.isBlank() ? "" : "; stderr: " + t.lines().reduce((a, b) -> b).orElse("");
    }

    @Override
    public void close() {
        for (PiRun run : runs.values()) run.abort("system", "the edge runtime is stopping");
        pools.values().forEach(PiPool::close);
    }
}
