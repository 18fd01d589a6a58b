package ai.auraison.execution.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.execution.gateway.GatewayCaller;
import ai.auraison.execution.gateway.GatewayException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConfiguredKeyResolverTest {

    final ConfiguredKeyResolver resolver = new ConfiguredKeyResolver(GatewayPropertiesFixture.defaults());

    GatewayCaller resolve(Map<String, String> headers) {
        return resolver.resolve(headers::get);
    }

    @Test
    void findsTheKeyInAnyOfTheHeadersClientsUse() {
        assertThat(resolve(Map.of("authorization", "Bearer sk-one")).keyId()).isEqualTo("k1");
        assertThat(resolve(Map.of("x-api-key", "sk-one")).tenant().value()).isEqualTo("acme");
        assertThat(resolve(Map.of("cf-aig-authorization", "Bearer sk-one", "authorization", "Bearer provider-key"))
                        .keyId())
                .isEqualTo("k1");
    }

    @Test
    void servesUnknownKeysAsTheDefaultTenantWhenKeysAreOptional() {
        GatewayCaller caller = resolve(Map.of("authorization", "Bearer whatever"));
        assertThat(caller.tenant()).isEqualTo(GatewayCaller.DEFAULT_TENANT);
        assertThat(caller.keyId()).isEqualTo("anonymous");
    }

    @Test
    void readsTheRunIdAndRefusesAMalformedOne() {
        UUID run = UUID.randomUUID();
        assertThat(resolve(Map.of("x-auraison-run-id", run.toString())).runId().value())
                .isEqualTo(run);
        assertThatThrownBy(() -> resolve(Map.of("x-auraison-run-id", "r-42")))
                .isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(e.kind()).isEqualTo(GatewayException.Kind.INVALID_REQUEST));
    }
}
