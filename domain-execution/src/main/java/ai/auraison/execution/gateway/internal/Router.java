package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayCaller;
import ai.auraison.execution.gateway.GatewayException;
import ai.auraison.execution.gateway.GatewayProperties;
import ai.auraison.execution.gateway.spi.ModelSelectionPolicy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Resolves the model a caller names to a {@link Plan}: a virtual model's ordered deployments, a deployment by its
 * own name, or {@code auto} through the {@link ModelSelectionPolicy}. At the edge with a central URL, central comes
 * first and the local deployments follow as fallback. The configuration is checked once, at start-up.
 */
final class Router {

    static final String AUTO = "auto";

    private final GatewayProperties properties;
    private final DeploymentHealth health;
    private final ModelSelectionPolicy policy;
    private final Map<String, Plan.Step> steps = new LinkedHashMap<>();
    private final Map<ApiFormat, Upstream> central = new EnumMap<>(ApiFormat.class);
    private final List<String> autoCandidates;

    Router(GatewayProperties properties, DeploymentHealth health, ModelSelectionPolicy policy) {
        this.properties = properties;
        this.health = health;
        this.policy = policy;
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        properties.providers().forEach((name, p) -> upstreams.put(name, Upstream.of(name, p)));
        properties.deployments().forEach((name, d) -> {
            Upstream upstream = upstreams.get(d.provider());
            if (upstream == null) {
                throw new IllegalStateException("auraison.gateway.deployments." + name + ".provider names no provider: "
                        + d.provider() + " (known: " + upstreams.keySet() + ")");
            }
            steps.put(name, new Plan.Step(name, upstream, d.model(), d));
        });
        properties.routes().forEach((name, list) -> {
            if (list == null || list.isEmpty()) {
                throw new IllegalStateException("auraison.gateway.routes." + name + " names no deployment");
            }
            for (String d : list) {
                if (!steps.containsKey(d)) {
                    throw new IllegalStateException(
                            "auraison.gateway.routes." + name + " names an unknown deployment: " + d);
                }
            }
        });
        List<String> candidates = properties.auto().candidates().isEmpty()
                ? List.copyOf(steps.keySet())
                : properties.auto().candidates();
        for (String d : candidates) {
            if (!steps.containsKey(d)) {
                throw new IllegalStateException("auraison.gateway.auto.candidates names an unknown deployment: " + d);
            }
        }
        this.autoCandidates = candidates;
        GatewayProperties.Edge edge = properties.edge();
        if (edge.centralUrl() != null) {
            for (ApiFormat f : ApiFormat.values())
                central.put(f, Upstream.central(edge.centralUrl(), edge.centralApiKey(), f));
        }
    }

    /** Whether this gateway forwards to a central one first. */
    boolean forwardsToCentral() {
        return !central.isEmpty();
    }

    /** The model names callers may use. */
    List<String> modelNames() {
        TreeSet<String> names = new TreeSet<>(properties.routes().keySet());
        names.addAll(steps.keySet());
        if (!autoCandidates.isEmpty()) names.add(AUTO);
        return List.copyOf(names);
    }

    /** The plan for {@code request}. */
    Plan plan(ChatRequest request, CallOptions options, GatewayCaller caller) {
        String model = request.model();
        List<Plan.Step> local = new ArrayList<>();
        String reason = null;
        if (AUTO.equals(model) && !autoCandidates.isEmpty()) {
            ModelSelectionPolicy.Selection selection = select(request, options, caller);
            for (String d : selection.ordered()) {
                Plan.Step step = steps.get(d);
                if (step == null)
                    throw new IllegalStateException("the selection policy chose an unknown deployment " + d);
                local.add(step);
            }
            reason = selection.reason();
        } else if (properties.routes().containsKey(model)) {
            for (String d : properties.routes().get(model)) local.add(steps.get(d));
        } else if (steps.containsKey(model)) {
            local.add(steps.get(model));
        }
        List<Plan.Step> all = new ArrayList<>();
        if (forwardsToCentral()) {
            all.add(new Plan.Step("central", central.get(request.api()), model, null));
            if (properties.edge().fallbackToLocal()) all.addAll(local);
        } else {
            all.addAll(local);
        }
        if (all.isEmpty()) {
            throw new GatewayException(
                    GatewayException.Kind.NOT_FOUND,
                    "model_not_found",
                    "The model '" + model + "' does not exist; GET /v1/models lists the models of this gateway",
                    "model",
                    0);
        }
        return new Plan(model, List.copyOf(all), reason);
    }

    private ModelSelectionPolicy.Selection select(ChatRequest request, CallOptions options, GatewayCaller caller) {
        List<ModelSelectionPolicy.Candidate> candidates = new ArrayList<>(autoCandidates.size());
        for (String d : autoCandidates) {
            Plan.Step step = steps.get(d);
            GatewayProperties.Deployment config = step.config();
            candidates.add(new ModelSelectionPolicy.Candidate(
                    d,
                    step.upstream().name(),
                    config.inputPricePerMillion(),
                    config.outputPricePerMillion(),
                    config.quality(),
                    health.stats(d),
                    health.available(d)));
        }
        return policy.select(
                new ModelSelectionPolicy.SelectionRequest(
                        caller.tenant(), request.estimatedTokensIn(), request.maxTokensOut(), options.constraints()),
                candidates);
    }
}
