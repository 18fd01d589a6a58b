package ai.auraison.edge.internal.pi;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.EventId;
import ai.auraison.contract.Failure;
import ai.auraison.contract.RunId;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.contract.Skill;
import ai.auraison.contract.ToolCallId;
import ai.auraison.contract.ToolResult;
import ai.auraison.contract.TreeRef;
import ai.auraison.contract.spi.AgentHarness;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run on one Pi process: prepares the session (new, or forked from an earlier run's tree), prompts once, maps every
 * Pi event to an {@link AgentEvent} in {@code seq} order, and ends with exactly one terminal event when Pi settles, is
 * aborted, crashes or hangs. Events from Pi are queued by the process's reader and handled on the run's own thread,
 * which may therefore ask Pi for entry ids while the run streams.
 */
final class PiRun implements AgentHarness.HarnessRun {

    private static final Logger log = LoggerFactory.getLogger(PiRun.class);
    private static final String V = SchemaVersions.CURRENT;
    private static final int TEXT_LIMIT = 1_000_000;

    private final AgentHarness.StartRun command;
    private final AgentHarness.EventSink sink;
    private final PiRpcAgentHarness.Settings settings;
    private final Skill skill;
    private final String sessionFileOfFork;
    private final BlockingQueue<JsonNode> records = new LinkedBlockingQueue<>(10_000);
    private final CompletableFuture<AgentEvent> finished = new CompletableFuture<>();
    private final Map<String, Long> toolStarts = new HashMap<>();
    private volatile PiSlot slot;
    private volatile TreeRef tree;
    private volatile String sessionFile;
    private long nextSeq;
    private int turn;
    private int toolCallsThisTurn;
    private long assistantStarted;
    private String lastAssistantText = "";
    private String lastStopReason;
    private String lastError;
    private volatile String abortedBy;
    private volatile String abortReason;

    PiRun(
            AgentHarness.StartRun command,
            AgentHarness.EventSink sink,
            Skill skill,
            String sessionFileOfFork,
            PiRpcAgentHarness.Settings settings) {
        this.command = command;
        this.sink = sink;
        this.skill = skill;
        this.sessionFileOfFork = sessionFileOfFork;
        this.settings = settings;
        this.nextSeq = command.firstSeq();
    }

    @Override
    public RunId runId() {
        return command.runId();
    }

    @Override
    public TreeRef treeRef() {
        return tree;
    }

    /** The Pi session file of this run, once known (for forks of its tree). */
    String sessionFile() {
        return sessionFile;
    }

    Skill skill() {
        return skill;
    }

    AgentHarness.StartRun command() {
        return command;
    }

    /** Emits an event made from the next seq and the current tree position; thread-safe. */
    synchronized AgentEvent emit(LongFunction<AgentEvent> event) {
        AgentEvent e = event.apply(nextSeq);
        nextSeq++;
        sink.accept(e);
        if (e.isTerminal()) finished.complete(e);
        return e;
    }

    /** Runs the whole run on the calling thread, with {@code pool} lending the process. */
    void drive(PiPool pool) {
        // a process can die between the pool handing it out and the run's first command (killed, out of memory):
        // that is not the run's fault, so it takes another process, a few times, before the run starts
        for (int attempt = 1; attempt <= 3; attempt++) {
            PiSlot acquired;
            try {
                acquired = pool.acquire(settings.acquireTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("harness.interrupted", "the edge runtime stopped before the run began");
                return;
            }
            if (acquired == null) {
                fail(
                        "harness.unavailable",
                        "no Pi process of agent " + command.agentId() + " became free within "
                                + settings.acquireTimeout().toSeconds() + " s");
                return;
            }
            this.slot = acquired;
            boolean healthy = false;
            try {
                acquired.bind(this);
                acquired.process().listen(this::enqueue);
                healthy = run(acquired.process(), attempt < 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("harness.interrupted", "the edge runtime stopped during the run");
            } catch (RuntimeException e) {
                log.warn("run {} failed in the harness", command.runId(), e);
                fail("harness.error", String.valueOf(e.getMessage()));
            } finally {
                acquired.process().listen(null);
                pool.release(acquired, healthy && acquired.process().isAlive());
            }
            if (finished.isDone() || tree != null) break;
            records.clear();
        }
        if (!finished.isDone()) fail("harness.error", "the run ended without a terminal event");
    }

    private void enqueue(JsonNode record) {
        try {
            records.put(record);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs on {@code pi}; when it died before the run started and {@code mayRetry}, returns without a terminal event. */
    private boolean run(PiRpcProcess pi, boolean mayRetry) throws InterruptedException {
        Duration rpc = settings.rpcTimeout();
        String message;
        long t0 = System.nanoTime();
        try {
            if (command.forkFrom() != null) {
                pi.request("switch_session", Map.of("sessionPath", sessionFileOfFork), rpc)
                        .join();
                JsonNode forked = pi.request(
                                "fork", Map.of("entryId", command.forkFrom().entryId()), rpc)
                        .join();
                message = command.prompt() != null
                        ? command.prompt()
                        : forked.path("text").asString("");
            } else {
                if (!slot.fresh()) pi.request("new_session", Map.of(), rpc).join();
                message = command.prompt() != null ? command.prompt() : promptFor();
            }
            slot.fresh(false);
            long t1 = System.nanoTime();
            JsonNode state = pi.request("get_state", Map.of(), rpc).join();
            log.debug(
                    "run {}: session {} ms, state {} ms",
                    command.runId(),
                    (t1 - t0) / 1_000_000,
                    (System.nanoTime() - t1) / 1_000_000);
            tree = new TreeRef(state.path("sessionId").asString(), null);
            sessionFile = state.path("sessionFile").asString(null);
        } catch (RuntimeException e) {
            tree = null;
            boolean died = !pi.isAlive();
            for (Throwable t = e; t != null && !died; t = t.getCause()) died = t instanceof PiRpcProcess.ProcessExited;
            if (mayRetry && died) {
                log.info("run {}: its Pi process died before the run started; taking another", command.runId());
                return false;
            }
            fail("harness.session", "Pi could not prepare the session: " + rootMessage(e));
            return false;
        }
        emit(seq -> new AgentEvent.RunStarted(
                EventId.random(),
                command.runId(),
                seq,
                Instant.now(),
                tree,
                V,
                command.agentId(),
                command.intent().intentId(),
                command.attempt(),
                "pi",
                command.forkFrom()));
        long t2 = System.nanoTime();
        try {
            pi.request("prompt", Map.of("message", message), rpc).join();
            log.debug(
                    "run {}: RunStarted recorded {} ms after the session; prompt accepted in {} ms",
                    command.runId(),
                    (t2 - t0) / 1_000_000,
                    (System.nanoTime() - t2) / 1_000_000);
        } catch (RuntimeException e) {
            fail("harness.prompt_refused", rootMessage(e));
            return pi.isAlive();
        }
        long deadline = System.nanoTime() + settings.runTimeout().toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                abortForTimeout(pi);
                return pi.isAlive();
            }
            JsonNode record =
                    records.poll(Math.min(left, settings.stallTimeout().toNanos()), TimeUnit.NANOSECONDS);
            if (record == null) {
                if (!answersPing(pi)) {
                    pi.kill();
                    fail(
                            "harness.hung",
                            "Pi sent nothing for " + settings.stallTimeout().toSeconds()
                                    + " s and did not answer a ping; the process was killed");
                    return false;
                }
                continue;
            }
            if (record == PiRpcProcess.EXITED) {
                // a marker delivered twice (on listening to a dead process and by its exit) may outlive its
                // attempt: it says nothing about a live process
                if (!pi.exit().isDone()) continue;
                fail(
                        "harness.crashed",
                        "the Pi process exited during the run (code "
                                + pi.exit().getNow(-1) + ")" + tail(pi));
                return false;
            }
            if (handle(pi, record)) return true;
        }
    }

    /** Handles one Pi record; returns true once the run ended. */
    private boolean handle(PiRpcProcess pi, JsonNode record) {
        String type = record.path("type").asString("");
        switch (type) {
            case "turn_start" -> {
                turn++;
                toolCallsThisTurn = 0;
                int n = turn;
                emit(seq ->
                        new AgentEvent.TurnStarted(EventId.random(), command.runId(), seq, Instant.now(), tree, V, n));
            }
            case "turn_end" -> {
                int n = turn;
                int calls = toolCallsThisTurn;
                emit(seq -> new AgentEvent.TurnCompleted(
                        EventId.random(), command.runId(), seq, Instant.now(), tree, V, n, calls));
            }
            case "message_start" -> {
                if ("assistant".equals(record.path("message").path("role").asString("")))
                    assistantStarted = System.nanoTime();
            }
            case "message_end" -> messageEnded(pi, record.path("message"));
            case "tool_execution_start" -> {
                String id = record.path("toolCallId").asString("");
                toolStarts.put(id, System.nanoTime());
                toolCallsThisTurn++;
                Map<String, Object> args = ContractJson.mapper().convertValue(record.path("args"), Map.class);
                String tool = record.path("toolName").asString("");
                emit(seq -> new AgentEvent.ToolCallRequested(
                        EventId.random(),
                        command.runId(),
                        seq,
                        Instant.now(),
                        tree,
                        V,
                        toolCallId(id),
                        tool,
                        args == null ? Map.of() : args));
            }
            case "tool_execution_end" -> toolEnded(record);
            case "entry_appended" -> moveTo(record.path("entry").path("id").asString(null));
            case "agent_end" -> {
                if (record.path("willRetry").asBoolean(false)) lastError = null;
            }
            case "agent_settled" -> {
                finish();
                return true;
            }
            case "extension_ui_request" -> answerDialog(pi, record);
            case "extension_error" ->
                log.warn(
                        "run {}: Pi extension error in {}: {}",
                        command.runId(),
                        record.path("event").asString(""),
                        record.path("error").asString(""));
            default -> {
                // queue_update, message_update, tool_execution_update, compaction_*, auto_retry_*: not events of record
            }
        }
        return false;
    }

    private void messageEnded(PiRpcProcess pi, JsonNode message) {
        String role = message.path("role").asString("");
        refreshEntry(pi);
        switch (role) {
            case "user" -> {
                String text = text(message.path("content"));
                emit(seq -> new AgentEvent.MessageCompleted(
                        EventId.random(), command.runId(), seq, Instant.now(), tree, V, "user", text, null));
            }
            case "assistant" -> {
                String text = text(message.path("content"));
                String stop = message.path("stopReason").asString("stop");
                lastAssistantText = text;
                lastStopReason = stop;
                lastError = message.path("errorMessage").asString(null);
                long latencyMs = assistantStarted == 0
                        ? 0
                        : Duration.ofNanos(System.nanoTime() - assistantStarted).toMillis();
                emit(seq -> new AgentEvent.MessageCompleted(
                        EventId.random(), command.runId(), seq, Instant.now(), tree, V, "assistant", text, stop));
                JsonNode usage = message.path("usage");
                String model = message.path("model").asString("");
                if (!model.isEmpty()) {
                    BigDecimal cost = usage.path("cost").path("total").isNumber()
                            ? usage.path("cost").path("total").decimalValue()
                            : BigDecimal.ZERO;
                    emit(seq -> new AgentEvent.ModelCallCompleted(
                            EventId.random(),
                            command.runId(),
                            seq,
                            Instant.now(),
                            tree,
                            V,
                            model,
                            null,
                            message.path("provider").asString("unknown"),
                            usage.path("input").asLong(0),
                            usage.path("output").asLong(0),
                            cost,
                            null,
                            latencyMs,
                            false,
                            0,
                            false));
                }
            }
            default -> {
                // tool results are covered by ToolCallCompleted; Pi's system message is not part of the run's record
            }
        }
    }

    private void toolEnded(JsonNode record) {
        String id = record.path("toolCallId").asString("");
        Long started = toolStarts.remove(id);
        long durationMs = started == null
                ? 0
                : Duration.ofNanos(System.nanoTime() - started).toMillis();
        JsonNode result = record.path("result");
        ToolResult outcome;
        if (record.path("isError").asBoolean(false)) {
            String message = text(result.path("content"));
            String code = message.startsWith("policy:") ? "tool.denied" : "tool.error";
            outcome = new ToolResult.Error(new Failure(code, message.isEmpty() ? "the tool failed" : message));
        } else if (result.path("details").isObject()) {
            outcome = new ToolResult.Output(ContractJson.mapper().convertValue(result.path("details"), Map.class));
        } else {
            outcome = new ToolResult.Output(Map.of("text", text(result.path("content"))));
        }
        String tool = record.path("toolName").asString("");
        ToolResult r = outcome;
        emit(seq -> new AgentEvent.ToolCallCompleted(
                EventId.random(), command.runId(), seq, Instant.now(), tree, V, toolCallId(id), tool, r, durationMs));
    }

    private void finish() {
        if (abortedBy != null) {
            emit(seq -> new AgentEvent.RunCancelled(
                    EventId.random(), command.runId(), seq, Instant.now(), tree, V, abortedBy, abortReason));
        } else if ("error".equals(lastStopReason) || "aborted".equals(lastStopReason)) {
            String why = lastError == null ? "the model call failed" : lastError;
            emit(seq -> new AgentEvent.RunFailed(
                    EventId.random(), command.runId(), seq, Instant.now(), tree, V, modelFailure(truncate(why, 4000))));
        } else {
            String summary = truncate(lastAssistantText, TEXT_LIMIT);
            emit(seq -> new AgentEvent.RunSucceeded(
                    EventId.random(), command.runId(), seq, Instant.now(), tree, V, summary, Map.of("turns", turn)));
        }
    }

    /**
     * The failure of a run whose model call failed: the gateway refuses a call with "refused by policy rule R" (403),
     * so a budget rule ({@code budget.*}) stops the run as {@code budget.exceeded} naming the budget, another rule as
     * {@code model.denied}; anything else is {@code model.error}.
     */
    static Failure modelFailure(String error) {
        return ai.auraison.execution.gateway.GatewayException.refusedRule(error)
                .map(rule -> new Failure(rule.startsWith("budget.") ? "budget.exceeded" : "model.denied", error))
                .orElseGet(() -> new Failure("model.error", error));
    }

    private void abortForTimeout(PiRpcProcess pi) throws InterruptedException {
        abortedBy = null;
        try {
            pi.request("abort", Map.of(), settings.rpcTimeout()).join();
        } catch (RuntimeException e) {
            pi.kill();
        }
        fail("harness.timeout", "the run exceeded " + settings.runTimeout().toSeconds() + " s and was aborted");
    }

    private boolean answersPing(PiRpcProcess pi) {
        try {
            pi.request("get_state", Map.of(), Duration.ofSeconds(5)).join();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Asks Pi for the newest entry of the session without waiting: while a tool call's policy hook is pending Pi
     * answers commands only after it, so a blocking request here would stall the run until the hook times out.
     * Events recorded before the answer carry the previous entry.
     */
    private void refreshEntry(PiRpcProcess pi) {
        String since = tree.entryId();
        pi.request("get_entries", since == null ? Map.of() : Map.of("since", since), settings.rpcTimeout())
                .thenAccept(entries -> moveTo(entries.path("leafId").asString(null)))
                .exceptionally(e -> {
                    log.debug("run {}: no entry id from Pi ({})", command.runId(), e.getMessage());
                    return null;
                });
    }

    private synchronized void moveTo(String entryId) {
        if (entryId != null && !entryId.isBlank() && tree != null) tree = tree.at(entryId);
    }

    private void answerDialog(PiRpcProcess pi, JsonNode request) {
        String method = request.path("method").asString("");
        if (!java.util.Set.of("select", "confirm", "input", "editor").contains(method)) return;
        ObjectNode answer = ContractJson.mapper().createObjectNode();
        answer.put("type", "extension_ui_response");
        answer.put("id", request.path("id").asString(""));
        answer.put("cancelled", true);
        try {
            pi.send(answer);
        } catch (java.io.IOException e) {
            log.debug("run {}: could not answer a Pi dialog: {}", command.runId(), e.getMessage());
        }
    }

    private String promptFor() {
        Map<String, Object> intent = new LinkedHashMap<>();
        intent.put("intentId", command.intent().intentId().value());
        intent.put("type", command.intent().type());
        intent.put("params", command.intent().params());
        return "/skill:" + skill.name()
                + " Carry out this intent with your tools, then answer with a one-sentence summary: "
                + ContractJson.write(intent);
    }

    void fail(String code, String message) {
        if (finished.isDone()) return;
        emit(seq -> new AgentEvent.RunFailed(
                EventId.random(),
                command.runId(),
                seq,
                Instant.now(),
                tree,
                V,
                new Failure(code, truncate(message, 4000))));
    }

    @Override
    public void steer(String message) {
        send("steer", message);
    }

    @Override
    public void followUp(String message) {
        send("follow_up", message);
    }

    private void send(String type, String message) {
        PiSlot s = slot;
        if (s == null || finished.isDone())
            throw new IllegalStateException("run " + command.runId() + " is not running");
        s.process()
                .request(type, Map.of("message", message), settings.rpcTimeout())
                .join();
    }

    @Override
    public CompletionStage<AgentEvent> abort(String reason) {
        return abort("operator", reason);
    }

    /** Aborts the run on behalf of {@code by}; completes with the terminal event. */
    CompletionStage<AgentEvent> abort(String by, String reason) {
        abortedBy = by;
        abortReason = reason;
        PiSlot s = slot;
        if (s == null) {
            emit(seq -> new AgentEvent.RunCancelled(
                    EventId.random(), command.runId(), seq, Instant.now(), tree, V, by, reason));
        } else if (!finished.isDone()) {
            s.process().request("abort", Map.of(), settings.rpcTimeout());
        }
        return finished;
    }

    @Override
    public CompletionStage<AgentEvent> finished() {
        return finished;
    }

    /** A tool call id as the contract allows it: Pi's own ids pass unchanged, odd characters become {@code _}. */
    static ToolCallId toolCallId(String id) {
        String clean = (id == null ? "" : id).replaceAll("[^A-Za-z0-9._:-]", "_");
        if (clean.isEmpty() || !Character.isLetterOrDigit(clean.charAt(0))) clean = "t" + clean;
        return ToolCallId.of(clean.length() > 128 ? clean.substring(0, 128) : clean);
    }

    static String text(JsonNode content) {
        if (content.isString()) return truncate(content.asString(), TEXT_LIMIT);
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asString("")))
                sb.append(part.path("text").asString(""));
        }
        return truncate(sb.toString(), TEXT_LIMIT);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t != t.getCause()) t = t.getCause();
        return String.valueOf(t.getMessage());
    }

    private static String tail(PiRpcProcess pi) {
        String tail = pi.stderrTail();
        return tail.isBlank()
                ? ""
                : "; stderr: " + tail.lines().reduce((a, b) -> b).orElse("");
    }
}
