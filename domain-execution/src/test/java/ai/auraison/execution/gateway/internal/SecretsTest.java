package ai.auraison.execution.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.execution.gateway.GatewayProperties;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void noStringFormOfTheSettingsOrUpstreamsShowsACredential() {
        var provider = new GatewayProperties.Provider(
                GatewayProperties.ProviderKind.CLOUDFLARE,
                URI.create("https://gateway.example/v1/acct/gw"),
                "sk-provider-secret",
                GatewayProperties.CloudflareRoute.ANTHROPIC,
                "cf-token-secret",
                "2023-06-01",
                Map.of());
        var edge = new GatewayProperties.Edge(
                URI.create("http://central:8080"), "sk-edge-secret", Duration.ofSeconds(5), true, null);
        String all =
                GatewayPropertiesFixture.defaults() + " " + provider + " " + edge + " " + Upstream.of("cf", provider)
                        + " " + Upstream.central(edge.centralUrl(), edge.centralApiKey(), ApiFormat.OPENAI);
        assertThat(all)
                .doesNotContain("sk-provider-secret", "cf-token-secret", "sk-edge-secret", "sk-one")
                .contains("***");
        // the credentials are there to be sent, just never printed
        assertThat(Upstream.of("cf", provider).headers())
                .containsEntry("x-api-key", "sk-provider-secret")
                .containsEntry("cf-aig-authorization", "Bearer cf-token-secret");
    }
}
