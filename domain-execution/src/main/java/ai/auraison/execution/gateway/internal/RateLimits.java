package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayCaller;
import ai.auraison.execution.gateway.GatewayException;
import ai.auraison.execution.gateway.GatewayMetrics;
import ai.auraison.execution.gateway.GatewayProperties;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests and tokens per minute, per tenant and per key, as sliding windows (the previous minute's count weighted
 * by how much of it still overlaps, plus the current minute's). A request is admitted when every request window has
 * room for it and no token window is already full; tokens are counted once the answer reports them. Thread-safe.
 */
final class RateLimits {

    private static final long WINDOW_MILLIS = 60_000;

    private final GatewayProperties properties;
    private final GatewayMetrics metrics;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RateLimits(GatewayProperties properties, GatewayMetrics metrics, LongSupplier clockMillis) {
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clockMillis;
    }

    /** Admits one request of {@code caller} or throws a 429 naming the limit and when to retry. */
    void admit(GatewayCaller caller) {
        GatewayProperties.Limit tenant = tenantLimit(caller);
        GatewayProperties.Limit key = keyLimit(caller);
        long now = clock.getAsLong();
        check("tenant", "t:" + caller.tenant().value(), tenant, now);
        if (key != null) check("key", "k:" + caller.keyId(), key, now);
        if (tenant.requestsPerMinute() > 0)
            window("t:r:" + caller.tenant().value()).add(now, 1);
        if (key != null && key.requestsPerMinute() > 0)
            window("k:r:" + caller.keyId()).add(now, 1);
    }

    /** Counts the tokens of an answer against the caller's token windows. */
    void tokensUsed(GatewayCaller caller, long tokens) {
        if (tokens <= 0) return;
        long now = clock.getAsLong();
        if (tenantLimit(caller).tokensPerMinute() > 0)
            window("t:t:" + caller.tenant().value()).add(now, tokens);
        GatewayProperties.Limit key = keyLimit(caller);
        if (key != null && key.tokensPerMinute() > 0)
            window("k:t:" + caller.keyId()).add(now, tokens);
    }

    private void check(String scope, String id, GatewayProperties.Limit limit, long now) {
        if (limit.requestsPerMinute() > 0) {
            long wait = window(id.charAt(0) + ":r:" + id.substring(2)).waitMillis(now, 1, limit.requestsPerMinute());
            if (wait > 0) throw limited(scope, "requests", limit.requestsPerMinute(), wait);
        }
        if (limit.tokensPerMinute() > 0) {
            long wait = window(id.charAt(0) + ":t:" + id.substring(2)).waitMillis(now, 0, limit.tokensPerMinute());
            if (wait > 0) throw limited(scope, "tokens", limit.tokensPerMinute(), wait);
        }
    }

    private GatewayException limited(String scope, String unit, long limit, long waitMillis) {
        metrics.rateLimited(scope, unit);
        long seconds = Math.max(1, (waitMillis + 999) / 1000);
        return new GatewayException(
                GatewayException.Kind.RATE_LIMITED,
                "rate_limit_exceeded",
                "Rate limit of " + limit + " " + unit + " per minute for this " + scope + " reached; retry in "
                        + seconds + " s",
                null,
                seconds);
    }

    private GatewayProperties.Limit tenantLimit(GatewayCaller caller) {
        return properties
                .rateLimits()
                .tenants()
                .getOrDefault(caller.tenant().value(), properties.rateLimits().perTenant());
    }

    private GatewayProperties.Limit keyLimit(GatewayCaller caller) {
        GatewayProperties.Key key = properties.keys().get(caller.keyId());
        return key == null ? null : key.limit();
    }

    private Window window(String id) {
        return windows.computeIfAbsent(id, k -> new Window());
    }

    /** A sliding-window counter over one minute. */
    static final class Window {
        private long start = Long.MIN_VALUE;
        private long previous;
        private long current;

        private void roll(long now) {
            if (start == Long.MIN_VALUE) {
                start = now - now % WINDOW_MILLIS;
                return;
            }
            long elapsedWindows = (now - start) / WINDOW_MILLIS;
            if (elapsedWindows == 1) {
                previous = current;
                current = 0;
            } else if (elapsedWindows > 1) {
                previous = 0;
                current = 0;
            }
            if (elapsedWindows >= 1) start += elapsedWindows * WINDOW_MILLIS;
        }

        private double estimate(long now) {
            double overlap = 1.0 - (double) (now - start) / WINDOW_MILLIS;
            return previous * overlap + current;
        }

        synchronized void add(long now, long n) {
            roll(now);
            current += n;
        }

        /** Milliseconds until {@code n} more fit under {@code limit} (for n = 0: until the window is not full). */
        synchronized long waitMillis(long now, long n, long limit) {
            roll(now);
            double room = limit - n;
            if (n == 0 ? estimate(now) < limit : estimate(now) <= room) return 0;
            if (current <= room && previous > 0) {
                // the previous minute's weight has to fall to (room - current)
                double overlapNeeded = (room - current) / previous;
                long at = start + (long) Math.ceil((1.0 - overlapNeeded) * WINDOW_MILLIS);
                return Math.max(1, at - now);
            }
            return Math.max(1, start + WINDOW_MILLIS - now);
        }
    }
}
