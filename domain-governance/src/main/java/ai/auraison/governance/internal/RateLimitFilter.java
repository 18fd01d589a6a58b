package ai.auraison.governance.internal;

import ai.auraison.platform.Caller;
import ai.auraison.platform.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the request-rate quotas to authenticated requests: over quota is a 429 problem ({@code rate-limited}) with
 * {@code Retry-After} and the IETF {@code RateLimit-Policy} / {@code RateLimit} headers; every allowed response
 * carries {@code RateLimit} for the tighter of the caller's two buckets.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimits limits;
    private final GovernanceMetrics metrics;

    RateLimitFilter(RateLimits limits, GovernanceMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = Caller.current();
        if (caller.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        RateLimits.Outcome o = limits.take(caller.get());
        String policy = "\"" + o.scope() + "\";q=" + o.quota().burst() + ";w=" + windowSeconds(o.quota());
        if (!o.allowed()) {
            metrics.rateLimited(o.scope());
            ProblemDetail problem = Problems.of(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "rate-limited",
                    "Too many requests",
                    "the " + o.scope() + " quota of " + o.quota().perSecond() + " requests per second (burst "
                            + o.quota().burst() + ") is used up; retry in " + o.retryAfterSeconds() + " s");
            problem.setProperty("scope", o.scope());
            SecurityProblems.write(
                    request,
                    response,
                    problem,
                    Map.of(
                            "Retry-After",
                            Long.toString(o.retryAfterSeconds()),
                            "RateLimit-Policy",
                            policy,
                            "RateLimit",
                            "\"" + o.scope() + "\";r=0;t=" + o.retryAfterSeconds()));
            return;
        }
        response.setHeader("RateLimit-Policy", policy);
        response.setHeader("RateLimit", "\"" + o.scope() + "\";r=" + o.remaining() + ";t=" + windowSeconds(o.quota()));
        chain.doFilter(request, response);
    }

    private static long windowSeconds(RateLimits.Quota q) {
        return Math.max(1, (long) Math.ceil(q.burst() / q.perSecond()));
    }
}
