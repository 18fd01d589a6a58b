package ai.auraison.execution.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.execution.gateway.GatewayException;
import ai.auraison.execution.gateway.GatewayProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallOptionsTest {

    static CallOptions options(Map<String, String> headers) {
        return CallOptions.from(headers::get, GatewayPropertiesFixture.defaults());
    }

    @Test
    void readsCloudflareHeadersWithTheirMeaning() {
        CallOptions o = options(Map.of(
                "cf-aig-request-timeout", "1500",
                "cf-aig-max-attempts", "3",
                "cf-aig-retry-delay", "50",
                "cf-aig-backoff", "linear",
                "cf-aig-cache-ttl", "120",
                "cf-aig-metadata", "{\"user\":\"u1\",\"n\":3}",
                "cf-aig-custom-cost", "{\"total_cost\":0.5}"));
        assertThat(o.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.maxAttempts()).isEqualTo(3);
        assertThat(o.retryDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(o.backoff()).isEqualTo(GatewayProperties.Backoff.LINEAR);
        assertThat(o.cacheTtl()).isEqualTo(Duration.ofSeconds(120));
        assertThat(o.metadata()).containsEntry("user", "u1").containsEntry("n", "3");
        assertThat(o.customCost().total()).isEqualByComparingTo("0.5");
    }

    @Test
    void usesTheConfiguredDefaultsWithoutHeadersAndCachesNothing() {
        CallOptions o = options(Map.of());
        assertThat(o.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.maxAttempts()).isEqualTo(2);
        assertThat(o.cacheTtl()).isNull();
        assertThat(o.skipCache()).isFalse();
    }

    @Test
    void aCacheKeyAloneCachesForFiveMinutesLikeCloudflare() {
        assertThat(options(Map.of("cf-aig-cache-key", "k")).cacheTtl()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesMalformedHeadersNamingThem() {
        for (Map<String, String> bad : java.util.List.of(
                Map.of("cf-aig-max-attempts", "6"),
                Map.of("cf-aig-retry-delay", "9000"),
                Map.of("cf-aig-backoff", "random"),
                Map.of("cf-aig-skip-cache", "maybe"),
                Map.of("cf-aig-metadata", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6}"),
                Map.of("cf-aig-metadata", "{\"a\":{}}"),
                Map.of("cf-aig-custom-cost", "{\"per_token_in\":1}"),
                Map.of("x-auraison-min-quality", "2"))) {
            String name = bad.keySet().iterator().next();
            assertThatThrownBy(() -> options(bad)).isInstanceOfSatisfying(GatewayException.class, e -> {
                assertThat(e.kind()).isEqualTo(GatewayException.Kind.INVALID_REQUEST);
                assertThat(e.param()).isEqualTo(name);
            });
        }
    }
}
