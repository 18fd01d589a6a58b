package ai.auraison.governance.internal;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import ai.auraison.platform.Caller;
import jakarta.servlet.DispatcherType;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Which roles may call which endpoint. Everything needs a key except health and the API docs; the other actuator
 * endpoints (info, metrics) are for the platform admin (an admin of the bootstrap tenant) only. The tenant a caller
 * sees is enforced by each module's queries, the roles here. An endpoint not listed is for admins only (fail closed:
 * a new endpoint must be classified here, and TenantIsolationIT fails until it is covered).
 *
 * <pre>
 *   admin ⊃ operator ⊃ viewer   (operators: people and their tools)
 *   edge                        (edge nodes: agent protocol, events, forwarded intents, policy bundles)
 *   app                         (applications: submit and follow their tenant's intents)
 * </pre>
 */
final class EndpointAccess {

    private static final String ADMIN = "ADMIN";
    private static final String OPERATOR = "OPERATOR";
    private static final String VIEWER = "VIEWER";
    private static final String EDGE = "EDGE";
    private static final String APP = "APP";

    private EndpointAccess() {}

    static void rules(
            AuthorizeHttpRequestsConfigurer<org.springframework.security.config.annotation.web.builders.HttpSecurity>
                            .AuthorizationManagerRequestMatcherRegistry
                    a,
            String platformTenant) {
        // operational data (metrics are tagged by agent, across tenants) is the platform admin's alone
        AuthorizationManager<RequestAuthorizationContext> platformAdmin =
                (auth, context) -> new AuthorizationDecision(auth.get() != null
                        && auth.get().getPrincipal() instanceof Caller c
                        && c.has(Caller.Role.ADMIN)
                        && c.tenant().value().equals(platformTenant));
        a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                .permitAll()
                .requestMatchers("/error")
                .permitAll()
                .requestMatchers(
                        GET,
                        "/actuator/health",
                        "/actuator/health/**",
                        "/v3/api-docs",
                        "/v3/api-docs/**",
                        "/v3/api-docs.yaml",
                        "/swagger-ui.html",
                        "/swagger-ui/**")
                .permitAll()
                .requestMatchers(GET, "/actuator/**")
                .access(platformAdmin)

                // platform: contract schemas and validation
                .requestMatchers("/api/v1/contract/**")
                .authenticated()

                // orchestration: registry
                .requestMatchers(POST, "/api/v1/skills:reload")
                .hasRole(ADMIN)
                .requestMatchers(
                        GET, "/api/v1/applications", "/api/v1/applications/*", "/api/v1/skills", "/api/v1/skills/*")
                .authenticated()

                // orchestration: agents and their work
                .requestMatchers(POST, "/api/v1/agents")
                .hasAnyRole(EDGE, ADMIN)
                .requestMatchers(
                        POST, "/api/v1/agents/*/heartbeat", "/api/v1/agents/*/work:poll", "/api/v1/agents/*/work/*")
                .hasRole(EDGE)
                .requestMatchers(POST, "/api/v1/agents/*:drain", "/api/v1/agents/*:resume")
                .hasRole(OPERATOR)
                .requestMatchers(GET, "/api/v1/agents", "/api/v1/agents/*")
                .hasAnyRole(VIEWER, EDGE)

                // orchestration: intents, runs, events
                .requestMatchers(POST, "/api/v1/intents")
                .hasAnyRole(OPERATOR, EDGE, APP)
                .requestMatchers(POST, "/api/v1/intents/*:cancel")
                .hasAnyRole(OPERATOR, APP)
                .requestMatchers(GET, "/api/v1/intents", "/api/v1/intents/*")
                .hasAnyRole(VIEWER, EDGE, APP)
                .requestMatchers(
                        GET, "/api/v1/runs", "/api/v1/runs/*", "/api/v1/runs/*/events", "/api/v1/runs/*/events:stream")
                .hasAnyRole(VIEWER, EDGE, APP)
                .requestMatchers(POST, "/api/v1/runs/*/events", "/api/v1/events:batch")
                .hasRole(EDGE)

                // governance
                .requestMatchers("/api/v1/tenants", "/api/v1/tenants/*")
                .hasRole(ADMIN)
                .requestMatchers("/api/v1/principals", "/api/v1/principals/**", "/api/v1/keys/*")
                .hasRole(ADMIN)
                .requestMatchers(GET, "/api/v1/quotas")
                .hasRole(VIEWER)
                .requestMatchers(PUT, "/api/v1/quotas")
                .hasRole(ADMIN)
                .requestMatchers(
                        GET, "/api/v1/budgets", "/api/v1/budgets/*", "/api/v1/budgets/*/ledger", "/api/v1/usage")
                .hasRole(VIEWER)
                .requestMatchers(POST, "/api/v1/budgets")
                .hasRole(ADMIN)
                .requestMatchers(PUT, "/api/v1/budgets/*")
                .hasRole(ADMIN)
                .requestMatchers(GET, "/api/v1/policy-sets", "/api/v1/policy-sets/*/versions/*")
                .hasRole(VIEWER)
                .requestMatchers(POST, "/api/v1/policy-sets", "/api/v1/policy-sets/*/versions/*")
                .hasRole(ADMIN)
                .requestMatchers(POST, "/api/v1/policy:explain")
                .hasAnyRole(VIEWER, EDGE)
                .requestMatchers(POST, "/api/v1/policy:decide")
                .hasRole(EDGE)
                .requestMatchers(GET, "/api/v1/policy/bundle")
                .hasAnyRole(EDGE, ADMIN)
                .requestMatchers(GET, "/api/v1/policy/bundle-key")
                .authenticated()
                .requestMatchers(GET, "/api/v1/approvals", "/api/v1/approvals/*")
                .hasAnyRole(VIEWER, EDGE, APP)
                .requestMatchers(POST, "/api/v1/approvals/*")
                .hasRole(OPERATOR)
                .requestMatchers(GET, "/api/v1/audit", "/api/v1/audit:verify")
                .hasRole(ADMIN)

                // memory: queries scoped to the caller's tenant; a rebuild spans every tenant
                .requestMatchers(GET, "/api/v1/memory/**")
                .hasRole(VIEWER)
                .requestMatchers(POST, "/api/v1/memory/sql")
                .hasRole(VIEWER)
                .requestMatchers(POST, "/api/v1/memory:rebuild")
                .access(platformAdmin)

                // execution: the model gateway (OpenAI- and Anthropic-compatible; a servlet, not in the OpenAPI
                // document)
                .requestMatchers(POST, "/v1/chat/completions", "/v1/messages")
                .hasAnyRole(OPERATOR, EDGE, APP)
                .requestMatchers(GET, "/v1/models", "/v1/models/*")
                .hasAnyRole(OPERATOR, EDGE, APP)
                .anyRequest()
                .hasRole(ADMIN);
    }
}
