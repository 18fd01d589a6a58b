package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayException;
import ai.auraison.execution.gateway.GatewayProperties;
import ai.auraison.execution.gateway.GatewayProperties.Backoff;
import ai.auraison.execution.gateway.GatewayProperties.Objective;
import ai.auraison.execution.gateway.spi.GatewayCallerResolver.RequestHeaders;
import ai.auraison.execution.gateway.spi.ModelSelectionPolicy.Constraints;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The per-request settings: the configured defaults overridden by the caller's {@code cf-aig-*} headers with
 * Cloudflare AI Gateway's meaning, and the {@code x-auraison-*} selection constraints for {@code auto}. A malformed
 * header is the caller's mistake: a 400 naming the header.
 *
 * @param requestTimeout time to an upstream's first byte
 * @param maxAttempts attempts per deployment
 * @param retryDelay base delay between attempts
 * @param backoff how the delay grows
 * @param cacheTtl how long to cache the answer; null: do not cache
 * @param skipCache whether to bypass the cache entirely
 * @param cacheKey the caller's cache key, or null for the body
 * @param metadata the caller's {@code cf-aig-metadata}
 * @param customCost the caller's {@code cf-aig-custom-cost}, or null
 * @param constraints the selection constraints for {@code auto}
 * @param collectLog whether the caller allows logging ({@code cf-aig-collect-log}, default true)
 */
record CallOptions(
        Duration requestTimeout,
        int maxAttempts,
        Duration retryDelay,
        Backoff backoff,
        Duration cacheTtl,
        boolean skipCache,
        String cacheKey,
        Map<String, String> metadata,
        CustomCost customCost,
        Constraints constraints,
        boolean collectLog) {

    /** A caller-given cost: per token in and out, or a total. */
    record CustomCost(BigDecimal perTokenIn, BigDecimal perTokenOut, BigDecimal total) {}

    static CallOptions from(RequestHeaders headers, GatewayProperties properties) {
        GatewayProperties.Resilience r = properties.resilience();
        Duration timeout = millis(headers, "cf-aig-request-timeout", 1, 3_600_000L, r.requestTimeout());
        int attempts = (int) longValue(headers, "cf-aig-max-attempts", 1, 5, r.maxAttempts());
        Duration delay = millis(headers, "cf-aig-retry-delay", 0, 5000, r.retryDelay());
        Backoff backoff = r.backoff();
        String backoffHeader = headers.get("cf-aig-backoff");
        if (backoffHeader != null) {
            try {
                backoff = Backoff.valueOf(backoffHeader.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw GatewayException.invalid(
                        "cf-aig-backoff", "header cf-aig-backoff must be constant, linear or exponential");
            }
        }
        GatewayProperties.Cache cache = properties.cache();
        boolean skip = bool(headers, "cf-aig-skip-cache", bool(headers, "cf-skip-cache", false));
        String ttlName = headers.get("cf-aig-cache-ttl") != null ? "cf-aig-cache-ttl" : "cf-cache-ttl";
        Duration ttl = cache.defaultTtl().isZero() ? null : cache.defaultTtl();
        if (headers.get(ttlName) != null) {
            long seconds = longValue(headers, ttlName, 0, cache.maxTtl().toSeconds(), 0);
            ttl = seconds == 0 ? null : Duration.ofSeconds(seconds);
        }
        String cacheKey = headers.get("cf-aig-cache-key");
        if (cacheKey != null && cacheKey.length() > 1024) {
            throw GatewayException.invalid(
                    "cf-aig-cache-key", "header cf-aig-cache-key is longer than 1024 characters");
        }
        if (cacheKey != null && ttl == null && !skip && cache.enabled()) ttl = Duration.ofMinutes(5);
        if (!cache.enabled()) ttl = null;
        GatewayProperties.Auto auto = properties.auto();
        Objective objective = auto.objective();
        String optimize = headers.get("x-auraison-optimize");
        if (optimize != null) {
            try {
                objective = Objective.valueOf(optimize.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw GatewayException.invalid(
                        "x-auraison-optimize", "header x-auraison-optimize must be cost, latency or quality");
            }
        }
        double minQuality = decimal(headers, "x-auraison-min-quality", BigDecimal.valueOf(auto.minQuality()))
                .doubleValue();
        if (minQuality < 0 || minQuality > 1) {
            throw GatewayException.invalid(
                    "x-auraison-min-quality", "header x-auraison-min-quality must be within 0 and 1");
        }
        Duration maxLatency = headers.get("x-auraison-max-latency-ms") == null
                ? auto.maxLatency()
                : millis(headers, "x-auraison-max-latency-ms", 1, 3_600_000L, null);
        BigDecimal maxCost = decimal(headers, "x-auraison-max-cost-per-mtok", auto.maxCostPerMillion());
        Constraints constraints = new Constraints(objective, minQuality, maxLatency, maxCost, auto.maxErrorRate());
        return new CallOptions(
                timeout,
                attempts,
                delay,
                backoff,
                ttl,
                skip,
                cacheKey,
                metadata(headers),
                customCost(headers),
                constraints,
                bool(headers, "cf-aig-collect-log", true));
    }

    private static Map<String, String> metadata(RequestHeaders headers) {
        String value = headers.get("cf-aig-metadata");
        if (value == null) return Map.of();
        JsonNode node = json(value, "cf-aig-metadata");
        if (!node.isObject() || node.size() > 5) {
            throw GatewayException.invalid(
                    "cf-aig-metadata", "header cf-aig-metadata must be a JSON object with at most 5 entries");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (!v.isString() && !v.isNumber() && !v.isBoolean()) {
                throw GatewayException.invalid(
                        "cf-aig-metadata", "header cf-aig-metadata values must be strings, numbers or booleans");
            }
            out.put(e.getKey(), v.isString() ? v.stringValue() : v.toString());
        }
        return out;
    }

    private static CustomCost customCost(RequestHeaders headers) {
        String value = headers.get("cf-aig-custom-cost");
        if (value == null) return null;
        JsonNode node = json(value, "cf-aig-custom-cost");
        BigDecimal in = number(node.get("per_token_in"));
        BigDecimal out = number(node.get("per_token_out"));
        BigDecimal total = number(node.get("total_cost"));
        boolean valid = node.isObject()
                && (total != null || (in != null && out != null))
                && (in == null || in.signum() >= 0)
                && (out == null || out.signum() >= 0)
                && (total == null || total.signum() >= 0);
        if (!valid) {
            throw GatewayException.invalid(
                    "cf-aig-custom-cost",
                    "header cf-aig-custom-cost must be {\"per_token_in\":n,\"per_token_out\":n} or {\"total_cost\":n}"
                            + " with non-negative numbers");
        }
        return new CustomCost(in, out, total);
    }

    private static BigDecimal number(JsonNode node) {
        return node != null && node.isNumber() ? node.decimalValue() : null;
    }

    private static JsonNode json(String value, String header) {
        try {
            return GatewayJson.MAPPER.readTree(value);
        } catch (JacksonException e) {
            throw GatewayException.invalid(header, "header " + header + " is not valid JSON");
        }
    }

    private static Duration millis(RequestHeaders headers, String name, long min, long max, Duration otherwise) {
        String value = headers.get(name);
        if (value == null) return otherwise;
        return Duration.ofMillis(longValue(headers, name, min, max, 0));
    }

    private static long longValue(RequestHeaders headers, String name, long min, long max, long otherwise) {
        String value = headers.get(name);
        if (value == null) return otherwise;
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw GatewayException.invalid(name, "header " + name + " must be an integer from " + min + " to " + max);
    }

    private static BigDecimal decimal(RequestHeaders headers, String name, BigDecimal otherwise) {
        String value = headers.get(name);
        if (value == null) return otherwise;
        try {
            BigDecimal n = new BigDecimal(value.trim());
            if (n.signum() >= 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw GatewayException.invalid(name, "header " + name + " must be a non-negative number");
    }

    private static boolean bool(RequestHeaders headers, String name, boolean otherwise) {
        String value = headers.get(name);
        if (value == null) return otherwise;
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw GatewayException.invalid(name, "header " + name + " must be true or false");
        };
    }
}
