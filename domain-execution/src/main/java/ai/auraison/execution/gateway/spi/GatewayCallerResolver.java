package ai.auraison.execution.gateway.spi;

import ai.auraison.contract.RunId;
import ai.auraison.execution.gateway.GatewayCaller;
import ai.auraison.execution.gateway.GatewayException;

/**
 * Maps a gateway request to its caller: tenant, key id, and the run when {@code x-auraison-run-id} is present.
 * The gateway's default resolves the keys of {@code auraison.gateway.keys}; governance replaces it with a bean of
 * its own once API keys exist.
 *
 * <p>Threading: called concurrently on request threads; must not block for long. Idempotency: pure lookup, no side
 * effects.
 */
public interface GatewayCallerResolver {

    /** The headers of the request being resolved (names in any case). */
    @FunctionalInterface
    interface RequestHeaders {
        /** The first value of header {@code name}, or null. */
        String get(String name);

        /**
         * The run of {@code x-auraison-run-id}, or null without one.
         *
         * @throws GatewayException of kind {@code INVALID_REQUEST} when the header is not a run id
         */
        default RunId runId() {
            String header = get("x-auraison-run-id");
            if (header == null || header.isBlank()) return null;
            try {
                return RunId.of(header.trim());
            } catch (IllegalArgumentException e) {
                throw GatewayException.invalid(
                        "x-auraison-run-id", "header x-auraison-run-id must be a run id (a UUID)");
            }
        }
    }

    /**
     * The caller of a request.
     *
     * @throws ai.auraison.execution.gateway.GatewayException of kind {@code AUTHENTICATION} for an unknown or
     *     missing key where one is required, {@code INVALID_REQUEST} for a malformed run id
     */
    GatewayCaller resolve(RequestHeaders headers);
}
