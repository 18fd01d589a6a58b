package ai.auraison.orchestration.internal;

import ai.auraison.contract.Intent;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import java.time.Clock;
import java.util.List;

/**
 * The orchestration core's own admission checks, as {@link PolicyHook}s that run before any others (governance adds
 * its hooks after these): the targets exist and are healthy, the chosen agent's skills offer the intent type, the
 * deadline is in the future. Rule names start with {@code admission.}; the rest of the name is the problem type.
 */
final class AdmissionHooks {

    static final String PLACEMENT_FAILURE = "placement.failure";
    static final String PLACEMENT_REASON = "placement.reason";

    private AdmissionHooks() {}

    static List<PolicyHook> all(AgentRegistry agents, SkillCatalog catalog, Clock clock) {
        return List.of(targets(), skills(agents, catalog), deadline(clock));
    }

    /** Denies when placement found no healthy target; the placement says why. */
    static PolicyHook targets() {
        return new Hook(
                "admission.targets",
                (subject, ctx) -> ctx.agent() != null
                        ? PolicyDecision.allow("admission.targets")
                        : PolicyDecision.deny(
                                "admission." + ctx.attributes().get(PLACEMENT_FAILURE),
                                ctx.attributes().get(PLACEMENT_REASON)));
    }

    /** Denies an intent type that none of the chosen agent's skills offers. */
    static PolicyHook skills(AgentRegistry agents, SkillCatalog catalog) {
        return new Hook("admission.skills", (subject, ctx) -> {
            Intent intent = ((PolicySubject.IntentSubject) subject).intent();
            var agent = agents.find(ctx.agent().value()).orElseThrow();
            return catalog.offers(agent.skills(), intent.type())
                    ? PolicyDecision.allow("admission.skills")
                    : PolicyDecision.deny(
                            "admission.intent-type-not-offered",
                            "intent type " + intent.type() + " is not offered by the skills " + agent.skills()
                                    + " of agent " + agent.agentId());
        });
    }

    /** Denies an intent whose deadline has already passed. */
    static PolicyHook deadline(Clock clock) {
        return new Hook("admission.deadline", (subject, ctx) -> {
            Intent intent = ((PolicySubject.IntentSubject) subject).intent();
            return intent.deadline() == null || intent.deadline().isAfter(clock.instant())
                    ? PolicyDecision.allow("admission.deadline")
                    : PolicyDecision.deny(
                            "admission.deadline-passed", "the deadline " + intent.deadline() + " has passed");
        });
    }

    private record Hook(String name, Rule rule) implements PolicyHook {
        @Override
        public PolicyDecision decide(PolicySubject subject, DecisionContext context) {
            return subject instanceof PolicySubject.IntentSubject
                    ? rule.decide(subject, context)
                    : PolicyDecision.allow(name);
        }
    }

    @FunctionalInterface
    private interface Rule {
        PolicyDecision decide(PolicySubject subject, DecisionContext context);
    }
}
