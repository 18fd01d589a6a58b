package ai.auraison.governance.policy;

import ai.auraison.contract.PolicyEffect;
import ai.auraison.contract.spi.PolicyDecision;
import java.util.List;

/**
 * What the policy engine decided and why: the decision, every rule that matched (in precedence order of their sets and
 * document order within a set), and whether no rule matched so the default applied.
 */
public record Evaluation(PolicyDecision decision, List<Match> matched, boolean defaulted) {

    public Evaluation {
        matched = List.copyOf(matched);
    }

    /** A rule that matched: its set, id, the effect it proposed and its reason. */
    public record Match(String set, String rule, PolicyEffect effect, String reason) {

        /** The decision's rule name for this match: {@code <set>/<rule>}. */
        public String qualified() {
            return set + "/" + rule;
        }
    }
}
