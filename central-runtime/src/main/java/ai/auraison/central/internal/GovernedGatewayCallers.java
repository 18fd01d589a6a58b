package ai.auraison.central.internal;

import ai.auraison.contract.RunId;
import ai.auraison.execution.gateway.GatewayCaller;
import ai.auraison.execution.gateway.spi.GatewayCallerResolver;
import ai.auraison.platform.Caller;

/**
 * The model gateway's callers in the central runtime are governance's: the key was verified by the security filter
 * chain before the gateway saw the request, so the gateway bills and limits the caller's tenant, names the principal
 * as the key id, and takes the run from {@code x-auraison-run-id}. Without governance (benchmarks) every call is the
 * gateway's default tenant. Replaces the gateway's own configured keys (ADR 0050).
 */
final class GovernedGatewayCallers implements GatewayCallerResolver {

    @Override
    public GatewayCaller resolve(RequestHeaders headers) {
        RunId runId = headers.runId();
        return Caller.current()
                .map(c -> new GatewayCaller(c.tenant(), c.principal(), runId))
                .orElseGet(() -> new GatewayCaller(GatewayCaller.DEFAULT_TENANT, "anonymous", runId));
    }
}
