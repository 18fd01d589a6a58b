package ai.auraison.execution;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.ContractValidator;
import ai.auraison.contract.Failure;
import ai.auraison.contract.ToolResult;
import ai.auraison.contract.ToolSpec;
import ai.auraison.contract.Violation;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Routes tool calls to the execution ports (SYS-002): validates the input against the tool's input schema, picks the
 * port the tool is bound to, and runs the call inside that port's bulkhead, with a timeout and a circuit breaker. Every
 * failure — invalid input, no port, a full bulkhead, a timeout, an open circuit, an exception, an output that breaks
 * the output schema — becomes a {@link ToolResult.Error}; {@link #execute} never throws, so a tool cannot crash the run
 * loop that called it.
 *
 * <p>Thread-safe. Calls run on virtual threads; a timed-out call is interrupted and its result discarded.
 */
public final class ToolRouter implements AutoCloseable {

    /** Limits per port. */
    public record PortLimits(Duration timeout, int maxConcurrentCalls, float failureRateThreshold, Duration openFor) {

        public static PortLimits defaults() {
            return new PortLimits(Duration.ofSeconds(30), 32, 50f, Duration.ofSeconds(30));
        }
    }

    private final Map<ExecutionPort, Function<ToolInvocation, Map<String, Object>>> ports =
            new EnumMap<>(ExecutionPort.class);
    private final Map<String, ExecutionPort> bindings;
    private final Map<ExecutionPort, Bulkhead> bulkheads = new EnumMap<>(ExecutionPort.class);
    private final Map<ExecutionPort, CircuitBreaker> breakers = new EnumMap<>(ExecutionPort.class);
    private final Map<ExecutionPort, PortLimits> limits;
    private final Map<Object, ContractValidator.CompiledSchema> schemas = new ConcurrentHashMap<>();
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final MeterRegistry metrics;

    /**
     * @param robot the robot link, or null when none is configured here
     * @param inference the inference port, or null
     * @param jobs the job runner, or null
     * @param bindings tool name → port
     * @param limits limits per port (ports without an entry get {@link PortLimits#defaults()})
     */
    public ToolRouter(
            RobotLink robot,
            ModelInference inference,
            JobRunner jobs,
            Map<String, ExecutionPort> bindings,
            Map<ExecutionPort, PortLimits> limits,
            MeterRegistry metrics) {
        if (robot != null) ports.put(ExecutionPort.ROBOT, wrap(robot::command));
        if (inference != null) ports.put(ExecutionPort.INFERENCE, wrap(inference::infer));
        if (jobs != null) ports.put(ExecutionPort.JOB, wrap(jobs::run));
        this.bindings = Map.copyOf(bindings);
        this.limits = Map.copyOf(limits);
        this.metrics = metrics;
        for (ExecutionPort port : ExecutionPort.values()) {
            PortLimits l = limitsOf(port);
            bulkheads.put(
                    port,
                    Bulkhead.of(
                            "tools-" + port.wire(),
                            BulkheadConfig.custom()
                                    .maxConcurrentCalls(l.maxConcurrentCalls())
                                    .maxWaitDuration(Duration.ZERO)
                                    .build()));
            breakers.put(
                    port,
                    CircuitBreaker.of(
                            "tools-" + port.wire(),
                            CircuitBreakerConfig.custom()
                                    .failureRateThreshold(l.failureRateThreshold())
                                    .slidingWindowSize(20)
                                    .minimumNumberOfCalls(10)
                                    .waitDurationInOpenState(l.openFor())
                                    .permittedNumberOfCallsInHalfOpenState(2)
                                    .build()));
        }
    }

    /** The port {@code tool} is bound to, if any. */
    public java.util.Optional<ExecutionPort> portOf(String tool) {
        return java.util.Optional.ofNullable(bindings.get(tool));
    }

    /** The state of each port's circuit breaker ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}). */
    public Map<ExecutionPort, String> circuits() {
        Map<ExecutionPort, String> out = new EnumMap<>(ExecutionPort.class);
        breakers.forEach((p, b) -> out.put(p, b.getState().name()));
        return out;
    }

    /** Runs {@code invocation} of the tool described by {@code spec}; never throws. */
    public ToolResult execute(ToolInvocation invocation, ToolSpec spec) {
        long started = System.nanoTime();
        ToolResult result = run(invocation, spec);
        Timer.builder("auraison.execution.tool.calls")
                .description("Tool calls routed to execution ports")
                .tag("port", portOf(invocation.tool()).map(ExecutionPort::wire).orElse("none"))
                .tag(
                        "outcome",
                        result instanceof ToolResult.Error e ? e.failure().code() : "ok")
                .register(metrics)
                .record(Duration.ofNanos(System.nanoTime() - started));
        return result;
    }

    private ToolResult run(ToolInvocation invocation, ToolSpec spec) {
        List<Violation> invalid = schemaOf(spec.inputSchema()).validate(ContractJson.tree(invocation.input()));
        if (!invalid.isEmpty()) return error("tool.invalid_input", describe(invalid));
        ExecutionPort port = bindings.get(invocation.tool());
        if (port == null) return error("tool.unbound", "tool " + invocation.tool() + " is bound to no execution port");
        Function<ToolInvocation, Map<String, Object>> target = ports.get(port);
        if (target == null) {
            return error(
                    "tool.no_port", "no " + port.wire() + " port is configured here for tool " + invocation.tool());
        }
        Bulkhead bulkhead = bulkheads.get(port);
        if (!bulkhead.tryAcquirePermission()) {
            return error(
                    "tool.busy",
                    "the " + port.wire() + " port already runs "
                            + bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " calls");
        }
        CircuitBreaker breaker = breakers.get(port);
        try {
            if (!breaker.tryAcquirePermission()) {
                return error("tool.circuit_open", "the " + port.wire() + " port failed too often; it is paused");
            }
            long start = breaker.getCurrentTimestamp();
            Future<Map<String, Object>> call = calls.submit(() -> target.apply(invocation));
            try {
                Map<String, Object> output = call.get(limitsOf(port).timeout().toMillis(), TimeUnit.MILLISECONDS);
                breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
                Map<String, Object> value = output == null ? Map.of() : output;
                if (spec.outputSchema() != null) {
                    List<Violation> bad = schemaOf(spec.outputSchema()).validate(ContractJson.tree(value));
                    if (!bad.isEmpty()) return error("tool.invalid_output", describe(bad));
                }
                return new ToolResult.Output(value);
            } catch (TimeoutException e) {
                call.cancel(true);
                breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
                return error(
                        "tool.timeout",
                        "the tool did not answer within "
                                + limitsOf(port).timeout().toMillis() + " ms");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof PortFailure pf ? pf.getCause() : e.getCause();
                breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), cause);
                return error("tool.failed", String.valueOf(cause.getMessage() == null ? cause : cause.getMessage()));
            } catch (InterruptedException e) {
                call.cancel(true);
                // neither a success nor the port's failure: hand the breaker's permission back (a half-open trial)
                breaker.releasePermission();
                Thread.currentThread().interrupt();
                return error("tool.interrupted", "the tool call was interrupted");
            }
        } finally {
            bulkhead.onComplete();
        }
    }

    private ContractValidator.CompiledSchema schemaOf(Map<String, Object> schema) {
        return schemas.computeIfAbsent(schema, s -> ContractValidator.get().compile(ContractJson.tree(s)));
    }

    private PortLimits limitsOf(ExecutionPort port) {
        return limits.getOrDefault(port, PortLimits.defaults());
    }

    private static ToolResult error(String code, String message) {
        return new ToolResult.Error(new Failure(code, message));
    }

    private static String describe(List<Violation> violations) {
        StringBuilder sb = new StringBuilder();
        for (Violation v : violations) {
            if (!sb.isEmpty()) sb.append("; ");
            sb.append(v.pointer().isEmpty() ? "(input)" : v.pointer())
                    .append(": ")
                    .append(v.message());
        }
        return sb.toString();
    }

    @FunctionalInterface
    private interface Call {
        Map<String, Object> apply(ToolInvocation invocation) throws Exception;
    }

    private static Function<ToolInvocation, Map<String, Object>> wrap(Call call) {
        return invocation -> {
            try {
                return call.apply(invocation);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new PortFailure(e);
            }
        };
    }

    /** Carries a checked failure of a port through the executor. */
    private static final class PortFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortFailure(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
