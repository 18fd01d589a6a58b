package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayProperties;
import java.util.List;

/**
 * How one call will be served: the deployments to try in order, and why (for {@code auto}).
 *
 * @param virtualModel the model the caller asked for
 * @param steps the deployments in order; never empty
 * @param selectionReason why {@code auto} chose this order, else null
 */
record Plan(String virtualModel, List<Step> steps, String selectionReason) {

    /**
     * One deployment to try.
     *
     * @param deployment its name ({@code central} for the edge's central gateway)
     * @param upstream where it lives
     * @param model the model name to send (the caller's own name for central)
     * @param config its price and quality (null for central)
     */
    record Step(String deployment, Upstream upstream, String model, GatewayProperties.Deployment config) {}
}
