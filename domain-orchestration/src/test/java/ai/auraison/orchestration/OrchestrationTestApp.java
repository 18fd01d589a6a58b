package ai.auraison.orchestration;

import ai.auraison.contract.TenantId;
import ai.auraison.platform.Caller;
import ai.auraison.testfixtures.TestDatabase;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The orchestration core in a minimal Boot app (no central runtime, no governance), for tests. Requests are
 * unauthenticated, so nothing is scoped to a tenant, unless they carry the test-only header {@value
 * #CALLER_HEADER}: {@code tenant/principal/kind/role[,role]}, which puts that {@link Caller} into the security context
 * as governance would.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class OrchestrationTestApp {

    static final String CALLER_HEADER = "X-Test-Caller";

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> testCallerFilter() {
        return new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String header = request.getHeader(CALLER_HEADER);
                if (header == null) {
                    chain.doFilter(request, response);
                    return;
                }
                String[] parts = header.split("/");
                Caller caller = new Caller(
                        parts[1],
                        Caller.Kind.of(parts[2]),
                        TenantId.of(parts[0]),
                        java.util.Arrays.stream(parts[3].split(","))
                                .map(Caller.Role::of)
                                .collect(java.util.stream.Collectors.toSet()));
                SecurityContextHolder.getContext()
                        .setAuthentication(new UsernamePasswordAuthenticationToken(caller, null, List.of()));
                try {
                    chain.doFilter(request, response);
                } finally {
                    SecurityContextHolder.clearContext();
                }
            }
        });
    }

    /** Fast timings so tests see leases expire and agents go silent within seconds. */
    static final String[] FAST = {
        "auraison.orchestration.lease-timeout=3s",
        "auraison.orchestration.heartbeat-timeout=3s",
        "auraison.orchestration.reaper-interval=200ms",
        "auraison.orchestration.depth-refresh=50ms",
        "auraison.orchestration.retry-backoff=200ms",
        "auraison.orchestration.max-retry-backoff=1s",
        "auraison.orchestration.max-poll-wait=10s",
        "server.address=127.0.0.1",
        "spring.main.banner-mode=off"
    };

    /** Starts one replica on a free port against {@code db}. */
    static ConfigurableApplicationContext start(TestDatabase db, Path dataDir, String... more) {
        // later settings replace earlier ones (repeated command-line options would be joined with commas)
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        List<String> all = new ArrayList<>(List.of(FAST));
        all.add("server.port=0");
        all.add("spring.datasource.url=" + db.jdbcUrl());
        all.add("spring.datasource.username=" + db.username());
        all.add("spring.datasource.password=" + db.password());
        all.add("auraison.data-dir=" + dataDir);
        all.addAll(List.of(more));
        for (String s : all) settings.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        String[] args = settings.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(OrchestrationTestApp.class).run(args);
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
