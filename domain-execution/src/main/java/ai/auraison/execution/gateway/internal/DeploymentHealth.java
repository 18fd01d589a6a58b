package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayProperties;
import ai.auraison.execution.gateway.spi.ModelSelectionPolicy.Stats;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per deployment: a Resilience4j circuit breaker and the live statistics {@code auto} selects by. Thread-safe. */
final class DeploymentHealth {

    private final CircuitBreakerRegistry breakers;
    private final Map<String, LiveStatistics> statistics = new ConcurrentHashMap<>();

    DeploymentHealth(GatewayProperties.CircuitBreaker config) {
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(config.failureRateThreshold())
                .slidingWindowSize(config.slidingWindowSize())
                .minimumNumberOfCalls(config.minimumNumberOfCalls())
                .waitDurationInOpenState(config.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(config.permittedCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
    }

    CircuitBreaker breaker(String deployment) {
        return breakers.circuitBreaker(deployment);
    }

    /** Whether calls may go to {@code deployment} now (its breaker is not open). */
    boolean available(String deployment) {
        CircuitBreaker.State state = breaker(deployment).getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    LiveStatistics statistics(String deployment) {
        return statistics.computeIfAbsent(deployment, d -> new LiveStatistics());
    }

    Stats stats(String deployment) {
        LiveStatistics s = statistics.get(deployment);
        return s == null ? Stats.NONE : s.snapshot();
    }
}
