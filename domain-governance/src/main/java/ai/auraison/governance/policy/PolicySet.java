package ai.auraison.governance.policy;

import ai.auraison.contract.PolicyEffect;
import java.util.List;
import java.util.Objects;

/**
 * A named, ordered set of rules, as written in a YAML or JSON policy file (see {@link PolicyDocuments} for the
 * format). Immutable; a stored set is identified by its name and version.
 *
 * @param name the set's name
 * @param description what it is for (optional)
 * @param defaultEffect the effect when no rule of any set matches (optional: the engine's default applies)
 * @param rules in document order
 */
public record PolicySet(String name, String description, PolicyEffect defaultEffect, List<PolicyRule> rules) {

    public PolicySet {
        Objects.requireNonNull(name, "name");
        rules = List.copyOf(rules);
    }
}
