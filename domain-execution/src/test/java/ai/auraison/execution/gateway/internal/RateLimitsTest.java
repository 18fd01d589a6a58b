package ai.auraison.execution.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.contract.TenantId;
import ai.auraison.execution.gateway.GatewayCaller;
import ai.auraison.execution.gateway.GatewayException;
import ai.auraison.execution.gateway.GatewayMetrics;
import ai.auraison.execution.gateway.GatewayProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    final AtomicLong now = new AtomicLong(60_000 * 1000);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    RateLimits limits(GatewayProperties.Limit perTenant) {
        GatewayProperties p = GatewayPropertiesFixture.with(new GatewayProperties.RateLimits(perTenant, Map.of()));
        return new RateLimits(p, new GatewayMetrics(registry), now::get);
    }

    static GatewayCaller caller(String tenant) {
        return new GatewayCaller(TenantId.of(tenant), "k", null);
    }

    @Test
    void refusesTheRequestOverTheLimitWithWhenToRetry() {
        RateLimits limits = limits(new GatewayProperties.Limit(2, 0));
        limits.admit(caller("a"));
        limits.admit(caller("a"));
        assertThatThrownBy(() -> limits.admit(caller("a"))).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.kind()).isEqualTo(GatewayException.Kind.RATE_LIMITED);
            assertThat(e.retryAfterSeconds()).isBetween(1L, 60L);
        });
        limits.admit(caller("b")); // per tenant
        assertThat(registry.get("auraison.gateway.rate.limited").counter().count())
                .isEqualTo(1);
    }

    @Test
    void letsRequestsThroughAgainAsTheWindowSlides() {
        RateLimits limits = limits(new GatewayProperties.Limit(2, 0));
        limits.admit(caller("a"));
        limits.admit(caller("a"));
        now.addAndGet(60_000); // the previous minute still weighs fully at its start
        assertThatThrownBy(() -> limits.admit(caller("a"))).isInstanceOf(GatewayException.class);
        now.addAndGet(30_000); // half of it has slid out: 2 × 0.5 = 1 < 2
        limits.admit(caller("a"));
    }

    @Test
    void countsTokensOnceAnswersReportThem() {
        RateLimits limits = limits(new GatewayProperties.Limit(0, 100));
        limits.admit(caller("a"));
        limits.tokensUsed(caller("a"), 100);
        assertThatThrownBy(() -> limits.admit(caller("a"))).isInstanceOf(GatewayException.class);
        now.addAndGet(120_000);
        limits.admit(caller("a"));
    }
}
