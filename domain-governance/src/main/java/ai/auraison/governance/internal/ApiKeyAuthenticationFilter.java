package ai.auraison.governance.internal;

import ai.auraison.platform.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its API key ({@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}): a valid
 * key puts its {@link Caller} into the security context (with {@code ROLE_<role>} authorities); a key that is unknown,
 * revoked or expired is answered 401 at once. A request without a key goes on unauthenticated, and the authorization
 * rules answer 401 where a key is needed.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private final ApiKeys keys;
    private final GovernanceMetrics metrics;

    ApiKeyAuthenticationFilter(ApiKeys keys, GovernanceMetrics metrics) {
        this.keys = keys;
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = presented(request);
        if (presented == null) {
            metrics.authentication("missing");
            chain.doFilter(request, response);
            return;
        }
        Optional<Caller> caller = keys.authenticate(presented);
        if (caller.isEmpty()) {
            metrics.authentication("invalid");
            SecurityProblems.unauthorized(request, response, SecurityProblems.UNKNOWN_KEY);
            return;
        }
        metrics.authentication("ok");
        List<SimpleGrantedAuthority> authorities = caller.get().roles().stream()
                .map(r -> new SimpleGrantedAuthority("ROLE_" + r.name()))
                .toList();
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new UsernamePasswordAuthenticationToken(caller.get(), null, authorities));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static String presented(HttpServletRequest request) {
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7))
            return auth.substring(7).trim();
        String header = request.getHeader("X-API-Key");
        return header == null ? null : header.trim();
    }
}
