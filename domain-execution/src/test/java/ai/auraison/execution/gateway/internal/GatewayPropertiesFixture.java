package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.util.unit.DataSize;

/** Gateway settings with the documented defaults, for tests without Spring. */
final class GatewayPropertiesFixture {

    private GatewayPropertiesFixture() {}

    static GatewayProperties defaults() {
        return with(new GatewayProperties.RateLimits(new GatewayProperties.Limit(0, 0), Map.of()));
    }

    static GatewayProperties with(GatewayProperties.RateLimits rateLimits) {
        return new GatewayProperties(
                true,
                Map.of(),
                Map.of(),
                Map.of(),
                new GatewayProperties.Auto(List.of(), GatewayProperties.Objective.COST, 0, null, null, 0.5),
                new GatewayProperties.Resilience(
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60),
                        2,
                        Duration.ofMillis(200),
                        Duration.ofSeconds(5),
                        GatewayProperties.Backoff.EXPONENTIAL,
                        new GatewayProperties.CircuitBreaker(50, 20, 10, Duration.ofSeconds(30), 2)),
                new GatewayProperties.Cache(true, Duration.ZERO, Duration.ofDays(30), 10_000, DataSize.ofMegabytes(1)),
                rateLimits,
                Map.of("k1", new GatewayProperties.Key("sk-one", "acme", new GatewayProperties.Limit(0, 0))),
                false,
                Set.of(),
                new GatewayProperties.Edge(null, null, Duration.ofSeconds(5), true, null),
                GatewayProperties.Tracing.AUTO);
    }
}
