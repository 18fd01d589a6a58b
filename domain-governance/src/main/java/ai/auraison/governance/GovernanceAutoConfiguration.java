package ai.auraison.governance;

import ai.auraison.governance.internal.GovernanceConfiguration;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The governance domain, on in an app with a PostgreSQL {@code DataSource} and Spring Security (the central runtime):
 * API keys and roles on every endpoint, tenancy, policies, quotas, budgets, approvals, audit and policy bundles. An app
 * with only the policy library on its classpath (the edge) gets none of this.
 *
 * <p>With {@code auraison.governance.enabled=false} every endpoint is open to anyone and nothing is governed (a
 * warning says so): for benchmarks on loopback only.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        beforeName = {
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration"
        })
@ConditionalOnClass(
        name = {
            "org.springframework.security.web.SecurityFilterChain",
            "org.springframework.jdbc.core.simple.JdbcClient"
        })
@ConditionalOnBean(javax.sql.DataSource.class)
@EnableConfigurationProperties(GovernanceProperties.class)
public class GovernanceAutoConfiguration {

    /** Governance on (the default). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(
            prefix = "auraison.governance",
            name = "enabled",
            havingValue = "true",
            matchIfMissing = true)
    @Import(GovernanceConfiguration.class)
    static class Enabled {}

    /** Governance off: an open filter chain, so that Spring Boot's default (a generated password) does not apply. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "auraison.governance", name = "enabled", havingValue = "false")
    @EnableWebSecurity
    static class Disabled {

        @Bean
        SecurityFilterChain openFilterChain(HttpSecurity http) throws Exception {
            LoggerFactory.getLogger(GovernanceAutoConfiguration.class)
                    .warn("auraison.governance.enabled=false: every endpoint is open to anyone, nothing is governed");
            return http.csrf(c -> c.disable())
                    .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                    .build();
        }

        @Bean
        AuthenticationManager openAuthenticationManager() {
            return authentication -> {
                throw new ProviderNotFoundException("governance is disabled");
            };
        }
    }
}
