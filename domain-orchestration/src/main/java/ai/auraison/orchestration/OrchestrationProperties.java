package ai.auraison.orchestration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the orchestration core, under {@code auraison.orchestration}.
 *
 * @param skillsDir a folder of operator skills (one folder per skill) loaded besides the built-in ones; defaults to
 *     {@code <data-dir>/skills}
 * @param heartbeatTimeout an agent without a heartbeat for this long is unhealthy and gets no new work
 * @param leaseTimeout the visibility timeout of leased work; a heartbeat extends it
 * @param maxPollWait the longest a work poll waits for work before answering empty
 * @param maxQueueDepthPerAgent queued plus leased work per agent before admission answers 429
 * @param maxQueuedPerTenant queued plus leased work per tenant, over all agents, before admission answers 429
 * @param maxAttempts attempts of a work item before it is dead-lettered
 * @param retryBackoff the delay before the second attempt; it doubles per attempt, up to {@code maxRetryBackoff}
 * @param maxRetryBackoff the longest delay between attempts
 * @param reaperInterval how often expired leases, passed deadlines and silent agents are looked for
 * @param agentConcurrency concurrent API calls one agent may have in flight (its bulkhead); more get a 429
 * @param depthRefresh how often queue depths are re-read from PostgreSQL for admission's backpressure check
 * @param maxBatchEvents the most events one {@code events:batch} request may carry
 */
@Validated
@ConfigurationProperties("auraison.orchestration")
public record OrchestrationProperties(
        Path skillsDir,
        @DefaultValue("30s") Duration heartbeatTimeout,
        @DefaultValue("60s") Duration leaseTimeout,
        @DefaultValue("30s") Duration maxPollWait,
        @DefaultValue("1000") @Min(1) int maxQueueDepthPerAgent,
        @DefaultValue("10000") @Min(1) int maxQueuedPerTenant,
        @DefaultValue("3") @Min(1) @Max(100) int maxAttempts,
        @DefaultValue("2s") Duration retryBackoff,
        @DefaultValue("60s") Duration maxRetryBackoff,
        @DefaultValue("1s") Duration reaperInterval,
        @DefaultValue("16") @Min(1) int agentConcurrency,
        @DefaultValue("500ms") Duration depthRefresh,
        @DefaultValue("1000") @Min(1) @Max(10000) int maxBatchEvents) {}
