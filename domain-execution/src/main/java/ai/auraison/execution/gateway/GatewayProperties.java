package ai.auraison.execution.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The model gateway's settings, under {@code auraison.gateway}. Secrets (provider keys, gateway tokens, caller keys)
 * have no default: set them from the environment (for example {@code api-key: ${OPENAI_API_KEY}}); no
 * {@code toString} of these records prints them.
 *
 * @param enabled whether the gateway's endpoints ({@code /v1/chat/completions}, {@code /v1/messages},
 *     {@code /v1/models}) are served
 * @param providers upstream providers by name
 * @param deployments concrete models by name: a provider and the model name it knows, with price and quality
 * @param routes virtual model names mapped to ordered deployment names (the first that answers serves the call)
 * @param auto how the virtual model {@code auto} picks a deployment per call
 * @param resilience timeouts, retries, backoff and the circuit breaker per deployment
 * @param cache the exact-match response cache
 * @param rateLimits requests and tokens per minute per tenant (keys carry their own limits)
 * @param keys caller keys by key id, used until governance provides keys
 * @param requireKey whether a request without a known key is refused (401) rather than served as tenant
 *     {@code default}
 * @param logPayloadTenants tenants whose prompts and answers are logged at DEBUG (nobody's by default)
 * @param edge forwarding to a central gateway, for the edge runtime
 * @param tracing whether each call is a Micrometer observation (a span with GenAI attributes under a tracer):
 *     {@code AUTO} when the app has a Micrometer {@code Tracer}; the gateway's metrics do not depend on it
 */
@Validated
@ConfigurationProperties("auraison.gateway")
public record GatewayProperties(
        @DefaultValue("true") boolean enabled,
        Map<String, @Valid Provider> providers,
        Map<String, @Valid Deployment> deployments,
        Map<String, List<String>> routes,
        @Valid @NotNull @DefaultValue Auto auto,
        @Valid @NotNull @DefaultValue Resilience resilience,
        @Valid @NotNull @DefaultValue Cache cache,
        @Valid @NotNull @DefaultValue RateLimits rateLimits,
        Map<String, @Valid Key> keys,
        @DefaultValue("false") boolean requireKey,
        Set<String> logPayloadTenants,
        @Valid @NotNull @DefaultValue Edge edge,
        @NotNull @DefaultValue("AUTO") Tracing tracing) {

    public GatewayProperties {
        providers = providers == null ? Map.of() : Map.copyOf(providers);
        deployments = deployments == null ? Map.of() : Map.copyOf(deployments);
        routes = routes == null ? Map.of() : Map.copyOf(routes);
        keys = keys == null ? Map.of() : Map.copyOf(keys);
        logPayloadTenants = logPayloadTenants == null ? Set.of() : Set.copyOf(logPayloadTenants);
    }

    /** When calls are observed (traced). */
    public enum Tracing {
        /** When a Micrometer {@code Tracer} bean exists: spans without an extra cost where nobody collects them. */
        AUTO,
        ALWAYS,
        NEVER
    }

    /** The API a provider speaks, and how it is addressed. */
    public enum ProviderKind {
        /** Any OpenAI-compatible server (OpenAI, vLLM, local servers): {@code <base-url>/chat/completions}. */
        OPENAI,
        /** Anthropic Messages: {@code <base-url>/v1/messages}. */
        ANTHROPIC,
        /** Cloudflare AI Gateway: {@code <base-url>} is {@code …/v1/<account>/<gateway>}; see {@link CloudflareRoute}. */
        CLOUDFLARE
    }

    /** Which Cloudflare AI Gateway endpoint a {@link ProviderKind#CLOUDFLARE} provider uses. */
    public enum CloudflareRoute {
        /** {@code …/openai/chat/completions}, OpenAI format. */
        OPENAI,
        /** {@code …/anthropic/v1/messages}, Anthropic format. */
        ANTHROPIC,
        /** {@code …/compat/chat/completions}, OpenAI format, model named {@code <provider>/<model>}. */
        COMPAT
    }

    /**
     * One upstream provider.
     *
     * @param kind the API it speaks
     * @param baseUrl its base URL (OpenAI kind: up to and including {@code /v1}; Anthropic: without {@code /v1})
     * @param apiKey the provider credential, sent as {@code Authorization: Bearer} (OpenAI) or {@code x-api-key}
     *     (Anthropic); none when absent
     * @param cloudflareRoute for Cloudflare: which of its endpoints to use
     * @param gatewayToken for Cloudflare with authentication on: the {@code cf-aig-authorization} token
     * @param anthropicVersion the {@code anthropic-version} sent when the caller sent none
     * @param headers further headers sent with every request (no secrets: they are not masked)
     */
    public record Provider(
            @NotNull ProviderKind kind,
            @NotNull URI baseUrl,
            String apiKey,
            @DefaultValue("OPENAI") CloudflareRoute cloudflareRoute,
            String gatewayToken,
            @DefaultValue("2023-06-01") String anthropicVersion,
            Map<String, String> headers) {

        public Provider {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        @Override
        public String toString() {
            return "Provider[kind=" + kind + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
                    + ", cloudflareRoute=" + cloudflareRoute + ", gatewayToken="
                    + (gatewayToken == null ? "none" : "***") + "]";
        }
    }

    /**
     * A concrete model at one provider.
     *
     * @param provider the provider's name in {@link #providers}
     * @param model the model name the provider knows (for Cloudflare compat: {@code <provider>/<model>})
     * @param inputPricePerMillion US dollars per million input tokens
     * @param outputPricePerMillion US dollars per million output tokens
     * @param quality a 0–1 quality score used by {@code auto}
     */
    public record Deployment(
            @NotBlank String provider,
            @NotBlank String model,
            @NotNull @DefaultValue("0") @DecimalMin("0") BigDecimal inputPricePerMillion,
            @NotNull @DefaultValue("0") @DecimalMin("0") BigDecimal outputPricePerMillion,

            @DefaultValue("0.5") @DecimalMin("0") @DecimalMax("1")
            double quality) {}

    /** What {@code auto} optimises once the constraints hold. */
    public enum Objective {
        COST,
        LATENCY,
        QUALITY
    }

    /**
     * The virtual model {@code auto}.
     *
     * @param candidates the deployments it chooses among (empty: every deployment)
     * @param objective what it optimises by default (a request may name another with {@code x-auraison-optimize})
     * @param minQuality the lowest acceptable quality score by default ({@code x-auraison-min-quality})
     * @param maxLatency the highest acceptable recent median latency by default, none when absent
     *     ({@code x-auraison-max-latency-ms})
     * @param maxCostPerMillion the highest acceptable blended price per million tokens by default, none when absent
     *     ({@code x-auraison-max-cost-per-mtok})
     * @param maxErrorRate deployments whose recent error rate is above this are avoided
     */
    public record Auto(
            List<String> candidates,
            @NotNull @DefaultValue("COST") Objective objective,

            @DefaultValue("0") @DecimalMin("0") @DecimalMax("1")
            double minQuality,

            Duration maxLatency,
            BigDecimal maxCostPerMillion,

            @DefaultValue("0.5") @DecimalMin("0") @DecimalMax("1")
            double maxErrorRate) {

        public Auto {
            candidates = candidates == null ? List.of() : List.copyOf(candidates);
        }
    }

    /** How attempts are spaced, as Cloudflare's {@code cf-aig-backoff}. */
    public enum Backoff {
        CONSTANT,
        LINEAR,
        EXPONENTIAL
    }

    /**
     * Timeouts and retries; a request's {@code cf-aig-*} headers override them for that request.
     *
     * @param requestTimeout how long to wait for an upstream's first byte ({@code cf-aig-request-timeout})
     * @param streamIdleTimeout how long a started upstream response may send nothing before it is cut off with an
     *     error event
     * @param maxAttempts attempts per deployment before falling back to the next ({@code cf-aig-max-attempts}, 1–5)
     * @param retryDelay the base delay between attempts ({@code cf-aig-retry-delay})
     * @param maxRetryDelay the longest wait between attempts; a longer upstream {@code retry-after} falls back at once
     * @param backoff how the delay grows ({@code cf-aig-backoff})
     * @param circuitBreaker the breaker each deployment has
     */
    public record Resilience(
            @NotNull @DefaultValue("60s") Duration requestTimeout,
            @NotNull @DefaultValue("60s") Duration streamIdleTimeout,
            @DefaultValue("2") @Min(1) @Max(5) int maxAttempts,
            @NotNull @DefaultValue("200ms") Duration retryDelay,
            @NotNull @DefaultValue("5s") Duration maxRetryDelay,
            @NotNull @DefaultValue("EXPONENTIAL") Backoff backoff,
            @Valid @NotNull @DefaultValue CircuitBreaker circuitBreaker) {}

    /**
     * A Resilience4j circuit breaker per deployment (count-based window).
     *
     * @param failureRateThreshold the failure percentage that opens it
     * @param slidingWindowSize how many recent calls it looks at
     * @param minimumNumberOfCalls calls needed before it may open
     * @param waitInOpenState how long it stays open before letting trial calls through
     * @param permittedCallsInHalfOpenState how many trial calls decide whether it closes again
     */
    public record CircuitBreaker(
            @DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
            @DefaultValue("20") @Min(1) int slidingWindowSize,
            @DefaultValue("10") @Min(1) int minimumNumberOfCalls,
            @NotNull @DefaultValue("30s") Duration waitInOpenState,
            @DefaultValue("2") @Min(1) int permittedCallsInHalfOpenState) {}

    /**
     * The exact-match response cache, per tenant. Off for a request unless it sends {@code cf-aig-cache-ttl} or
     * {@link #defaultTtl} is positive; {@code cf-aig-skip-cache: true} bypasses it.
     *
     * @param enabled whether the cache may be used at all
     * @param defaultTtl the TTL of requests that send no {@code cf-aig-cache-ttl}; zero: do not cache them
     * @param maxTtl the longest TTL a request may ask for
     * @param maxEntries how many responses are kept at most
     * @param maxEntrySize responses bigger than this are not cached
     */
    public record Cache(
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue("0s") Duration defaultTtl,
            @NotNull @DefaultValue("30d") Duration maxTtl,
            @DefaultValue("10000") @Min(0) long maxEntries,
            @NotNull @DefaultValue("1MB") DataSize maxEntrySize) {}

    /**
     * A limit per minute; zero means unlimited.
     *
     * @param requestsPerMinute requests per rolling minute
     * @param tokensPerMinute input plus output tokens per rolling minute
     */
    public record Limit(
            @DefaultValue("0") @Min(0) long requestsPerMinute,
            @DefaultValue("0") @Min(0) long tokensPerMinute) {}

    /**
     * Rate limits.
     *
     * @param perTenant the limit of every tenant without its own entry
     * @param tenants limits of named tenants
     */
    public record RateLimits(@Valid @NotNull @DefaultValue Limit perTenant, Map<String, @Valid Limit> tenants) {
        public RateLimits {
            tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
        }
    }

    /**
     * A caller key (until governance provides keys).
     *
     * @param secret the key the caller sends as {@code Authorization: Bearer}, {@code x-api-key} or
     *     {@code cf-aig-authorization}
     * @param tenant the tenant it acts for
     * @param limit its own rate limit
     */
    public record Key(
            @NotBlank String secret,
            @NotBlank String tenant,
            @Valid @NotNull @DefaultValue Limit limit) {
        @Override
        public String toString() {
            return "Key[secret=***, tenant=" + tenant + ", limit=" + limit + "]";
        }
    }

    /**
     * Forwarding to the central gateway, for the edge runtime. With {@link #centralUrl} set, every call goes to
     * central first and falls back to this gateway's own deployments when central does not answer.
     *
     * @param centralUrl the central runtime's base URL (its gateway serves {@code <url>/v1/…}); none: no forwarding
     * @param centralApiKey the key this edge presents to central
     * @param centralTimeout how long to wait for central's first byte before falling back
     * @param fallbackToLocal whether to serve from the local deployments when central is unreachable
     * @param reconciliationLog where calls served locally while central was unreachable are appended as JSON lines
     *     (default {@code <data-dir>/gateway/reconciliation.jsonl})
     */
    public record Edge(
            URI centralUrl,
            String centralApiKey,
            @NotNull @DefaultValue("5s") Duration centralTimeout,
            @DefaultValue("true") boolean fallbackToLocal,
            Path reconciliationLog) {
        @Override
        public String toString() {
            return "Edge[centralUrl=" + centralUrl + ", centralApiKey=" + (centralApiKey == null ? "none" : "***")
                    + ", fallbackToLocal=" + fallbackToLocal + "]";
        }
    }
}
