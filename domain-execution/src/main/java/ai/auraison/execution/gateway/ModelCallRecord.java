package ai.auraison.execution.gateway;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.EventId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.contract.TenantId;
import ai.auraison.contract.TreeRef;
import ai.auraison.contract.spi.PolicyDecision;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The accounting record of one model call through the gateway, produced for every call (served, refused after
 * admission, or failed) and handed to each {@code ModelCallSink}.
 *
 * @param callId unique per call; also returned to the caller as {@code cf-aig-log-id}
 * @param startedAt when the gateway received the call
 * @param tenant the tenant billed
 * @param keyId the caller key's id ({@code anonymous} when none)
 * @param runId the run served, when the caller sent {@code x-auraison-run-id}; else null
 * @param api the API called: {@code openai} or {@code anthropic}
 * @param virtualModel the model the caller asked for
 * @param deployment the deployment that answered (null when none did)
 * @param model the model name the provider served (null when none did)
 * @param provider the provider's configured name (null when none answered)
 * @param stream whether the answer was streamed
 * @param tokensIn input tokens as the provider counted them
 * @param tokensOut output tokens as the provider counted them
 * @param costUsd what the call cost in US dollars (zero for cache hits; {@code cf-aig-custom-cost} when sent)
 * @param ttftMs milliseconds to the first token sent to the caller (streams only), else null
 * @param latencyMs milliseconds from receipt to the last byte sent
 * @param cacheHit whether the response cache answered
 * @param retries attempts beyond the first, over all deployments tried
 * @param fallbackUsed whether a deployment other than the first planned one answered
 * @param degraded whether the edge answered locally because the central gateway was unreachable
 * @param outcome {@code ok}, {@code error} or {@code client_disconnected}
 * @param status the HTTP status sent to the caller
 * @param errorType the error type when {@code outcome} is not {@code ok}, else null
 * @param selectionReason why {@code auto} chose this deployment (null for other models)
 * @param metadata the caller's {@code cf-aig-metadata}
 * @param policyDecisions the model-call policy decisions taken before the call
 */
public record ModelCallRecord(
        UUID callId,
        Instant startedAt,
        TenantId tenant,
        String keyId,
        RunId runId,
        String api,
        String virtualModel,
        String deployment,
        String model,
        String provider,
        boolean stream,
        long tokensIn,
        long tokensOut,
        BigDecimal costUsd,
        Long ttftMs,
        long latencyMs,
        boolean cacheHit,
        int retries,
        boolean fallbackUsed,
        boolean degraded,
        String outcome,
        int status,
        String errorType,
        String selectionReason,
        Map<String, String> metadata,
        List<PolicyDecision> policyDecisions) {

    public ModelCallRecord {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(costUsd, "costUsd");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        policyDecisions = policyDecisions == null ? List.of() : List.copyOf(policyDecisions);
    }

    /** Whether the call was served. */
    public boolean ok() {
        return "ok".equals(outcome);
    }

    /**
     * The run event for this call, with the envelope the run log supplies. The model is the served model (the
     * virtual model when none answered) and the provider {@code none} when no provider answered.
     *
     * @throws IllegalStateException when the call named no run
     */
    public AgentEvent.ModelCallCompleted toEvent(EventId eventId, long seq, Instant ts, TreeRef treeRef) {
        if (runId == null) throw new IllegalStateException("model call " + callId + " named no run");
        return new AgentEvent.ModelCallCompleted(
                eventId,
                runId,
                seq,
                ts,
                treeRef,
                SchemaVersions.CURRENT,
                model != null ? model : virtualModel,
                virtualModel,
                provider != null ? provider : "none",
                tokensIn,
                tokensOut,
                costUsd,
                ttftMs,
                latencyMs,
                cacheHit,
                retries,
                fallbackUsed);
    }
}
