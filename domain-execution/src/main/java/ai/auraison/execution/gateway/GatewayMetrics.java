package ai.auraison.execution.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's metrics, all named {@code auraison.gateway.*}. Tags are low-cardinality only: the API, the
 * configured provider and deployment names (callers' free-form model names never become tags, since unknown
 * models are refused), outcome and cache status; never tenants, runs or call ids.
 */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
    private final Map<Key, DistributionSummary> summaries = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records a finished call: count, latency, time to first token, tokens and cost. */
    public void callCompleted(ModelCallRecord call) {
        String provider = call.provider() == null ? "none" : call.provider();
        String deployment = call.deployment() == null ? "none" : call.deployment();
        String cache = call.cacheHit() ? "hit" : "miss";
        counter(
                        "auraison.gateway.calls",
                        "api",
                        call.api(),
                        "provider",
                        provider,
                        "deployment",
                        deployment,
                        "outcome",
                        call.outcome(),
                        "cache",
                        cache)
                .increment();
        timer(
                        "auraison.gateway.call.latency",
                        "api",
                        call.api(),
                        "provider",
                        provider,
                        "stream",
                        Boolean.toString(call.stream()))
                .record(Duration.ofMillis(call.latencyMs()));
        if (call.ttftMs() != null) {
            timer("auraison.gateway.call.ttft", "api", call.api(), "provider", provider)
                    .record(Duration.ofMillis(call.ttftMs()));
        }
        if (call.tokensIn() > 0) {
            counter("auraison.gateway.tokens", "direction", "in", "provider", provider, "deployment", deployment)
                    .increment(call.tokensIn());
        }
        if (call.tokensOut() > 0) {
            counter("auraison.gateway.tokens", "direction", "out", "provider", provider, "deployment", deployment)
                    .increment(call.tokensOut());
        }
        if (call.costUsd().signum() > 0) {
            summary("auraison.gateway.cost.usd", "provider", provider)
                    .record(call.costUsd().doubleValue());
        }
        if (call.retries() > 0) {
            counter("auraison.gateway.retries", "api", call.api()).increment(call.retries());
        }
        if (call.fallbackUsed()) {
            counter("auraison.gateway.fallbacks", "api", call.api()).increment();
        }
    }

    /** A call refused by a rate limit of {@code scope} ({@code tenant} or {@code key}) and {@code unit}. */
    public void rateLimited(String scope, String unit) {
        counter("auraison.gateway.rate.limited", "scope", scope, "unit", unit).increment();
    }

    /** An attempt at {@code deployment} that failed for {@code reason} (a status class, {@code timeout}, …). */
    public void attemptFailed(String deployment, String reason) {
        counter("auraison.gateway.attempts.failed", "deployment", deployment, "reason", reason)
                .increment();
    }

    /** A deployment skipped because its circuit breaker was open. */
    public void circuitOpen(String deployment) {
        counter("auraison.gateway.circuit.open.skips", "deployment", deployment).increment();
    }

    /** A model chosen by {@code auto}. */
    public void selected(String deployment) {
        counter("auraison.gateway.selections", "deployment", deployment).increment();
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(
                key(name, tags), k -> Counter.builder(name).tags(tags).register(registry));
    }

    private Timer timer(String name, String... tags) {
        return timers.computeIfAbsent(
                key(name, tags), k -> Timer.builder(name).tags(tags).register(registry));
    }

    private DistributionSummary summary(String name, String... tags) {
        return summaries.computeIfAbsent(
                key(name, tags),
                k -> DistributionSummary.builder(name).tags(tags).register(registry));
    }

    /** A meter's identity without building a string per lookup. */
    private record Key(String name, List<String> tags) {}

    private static Key key(String name, String... tags) {
        return new Key(name, Arrays.asList(tags));
    }
}
