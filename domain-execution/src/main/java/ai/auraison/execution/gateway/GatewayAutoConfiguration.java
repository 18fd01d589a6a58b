package ai.auraison.execution.gateway;

import ai.auraison.execution.gateway.internal.GatewayWiring;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Serves the model gateway in any servlet web app that has this module on its classpath:
 * {@code POST /v1/chat/completions} (OpenAI), {@code POST /v1/messages} (Anthropic) and {@code GET /v1/models},
 * configured under {@code auraison.gateway} ({@link GatewayProperties}); off with
 * {@code auraison.gateway.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "auraison.gateway", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(GatewayProperties.class)
@Import(GatewayWiring.class)
public class GatewayAutoConfiguration {}
