package ai.auraison.governance.internal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The security filter chain: API keys authenticate, request-rate quotas apply, {@link EndpointAccess} authorizes, and
 * every refusal is a problem document. Stateless: no sessions, no cookies, no CSRF tokens (there is nothing a browser
 * carries implicitly).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class GovernanceSecurityConfiguration {

    @Bean
    SecurityFilterChain governanceFilterChain(
            HttpSecurity http,
            ApiKeys keys,
            RateLimits limits,
            GovernanceMetrics metrics,
            ai.auraison.governance.GovernanceProperties properties)
            throws Exception {
        ApiKeyAuthenticationFilter authentication = new ApiKeyAuthenticationFilter(keys, metrics);
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .addFilterBefore(authentication, AnonymousAuthenticationFilter.class)
                .addFilterAfter(new RateLimitFilter(limits, metrics), ApiKeyAuthenticationFilter.class)
                .authorizeHttpRequests(a -> EndpointAccess.rules(a, properties.bootstrapTenant()))
                .exceptionHandling(e -> e.authenticationEntryPoint(SecurityProblems::unauthorized)
                        .accessDeniedHandler(SecurityProblems::forbidden));
        return http.build();
    }

    /** Keys are checked by the filter; this only keeps Spring Boot from creating a default user with a password. */
    @Bean
    AuthenticationManager governanceAuthenticationManager() {
        return authentication -> {
            throw new ProviderNotFoundException("Auraison authenticates API keys only");
        };
    }
}
