package ai.auraison.governance.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The governance metrics, {@code auraison.governance.*}. Tags are low-cardinality only: outcomes, subject kinds and
 * effects, never tenant, principal, key or run ids.
 */
final class GovernanceMetrics {

    private final MeterRegistry registry;

    GovernanceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** An authentication attempt: {@code ok}, {@code missing}, {@code invalid}. */
    void authentication(String outcome) {
        Counter.builder("auraison.governance.authentications")
                .description("API key authentications by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** A policy decision by the governance hook. */
    void decision(String subject, String effect, Duration latency) {
        Timer.builder("auraison.governance.decisions")
                .description("Governance policy decisions (policy, budget and approval) and their latency")
                .tag("subject", subject)
                .tag("effect", effect)
                .publishPercentileHistogram()
                .register(registry)
                .record(latency);
    }

    /** A budget reservation: {@code reserved}, {@code refused}, {@code unbudgeted}, {@code replayed}. */
    void reservation(String outcome) {
        counter("auraison.governance.budget.reservations", "Budget reservations by outcome", "outcome", outcome)
                .increment();
    }

    void settlement(String outcome) {
        counter("auraison.governance.budget.settlements", "Model-call settlements by outcome", "outcome", outcome)
                .increment();
    }

    /** A request refused by a rate quota, by scope ({@code tenant} or {@code principal}). */
    void rateLimited(String scope) {
        counter("auraison.governance.rate-limited", "Requests refused by a rate quota", "scope", scope)
                .increment();
    }

    void quotaExceeded(String scope, String rule) {
        Counter.builder("auraison.governance.quota-exceeded")
                .description("Intents refused at admission by a queued-intent or concurrent-run quota")
                .tag("scope", scope)
                .tag("rule", rule)
                .register(registry)
                .increment();
    }

    void auditWritten(int records) {
        counter("auraison.governance.audit.records", "Audit records written", "category", "any")
                .increment(records);
    }

    void auditQueue(Supplier<Number> depth) {
        io.micrometer.core.instrument.Gauge.builder("auraison.governance.audit.queue", depth)
                .description("Decision audit records waiting to be written")
                .register(registry);
    }

    private Counter counter(String name, String description, String tag, String value) {
        return Counter.builder(name).description(description).tag(tag, value).register(registry);
    }
}
