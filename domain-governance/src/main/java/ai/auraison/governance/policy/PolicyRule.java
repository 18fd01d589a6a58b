package ai.auraison.governance.policy;

import ai.auraison.contract.PolicyEffect;
import ai.auraison.contract.PolicySubjectKind;
import java.util.Objects;
import java.util.Set;

/**
 * One declarative rule: when a subject of one of {@code subjects} meets every condition of {@code when}, the rule
 * matches and proposes {@code effect}. Which proposal wins is the engine's precedence (see {@link PolicyEngine}).
 *
 * @param id unique within its set; appears as the decision's rule
 * @param description what the rule is for (optional)
 * @param subjects the subject kinds it applies to (at least one)
 * @param effect allow, deny or require approval
 * @param when the conditions, all of which must hold; none means every subject of the kinds
 * @param reason shown to the caller when the rule decides (optional)
 */
public record PolicyRule(
        String id,
        String description,
        Set<PolicySubjectKind> subjects,
        PolicyEffect effect,
        Conditions when,
        String reason) {

    public PolicyRule {
        Objects.requireNonNull(id, "id");
        subjects = Set.copyOf(subjects);
        Objects.requireNonNull(effect, "effect");
        when = when == null ? Conditions.NONE : when;
    }
}
