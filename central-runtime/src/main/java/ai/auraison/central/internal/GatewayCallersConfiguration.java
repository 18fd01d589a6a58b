package ai.auraison.central.internal;

import ai.auraison.execution.gateway.spi.GatewayCallerResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the gateway's caller resolution to governance's authenticated caller. */
@Configuration(proxyBeanMethods = false)
class GatewayCallersConfiguration {

    @Bean
    GatewayCallerResolver governedGatewayCallers() {
        return new GovernedGatewayCallers();
    }
}
