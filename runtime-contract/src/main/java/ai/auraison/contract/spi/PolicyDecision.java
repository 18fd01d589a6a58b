package ai.auraison.contract.spi;

import ai.auraison.contract.PolicyEffect;
import java.util.Map;
import java.util.Objects;

/** The answer of a {@link PolicyHook}: allow, deny with a reason, or require an operator's approval. */
public sealed interface PolicyDecision {

    /** The rule that decided; {@code default} when none matched. */
    String rule();

    /** Why, in words; empty for a plain allow. */
    String reason();

    /** The effect, as recorded in a {@code PolicyDecided} event. */
    PolicyEffect effect();

    /** The subject may proceed. */
    record Allow(String rule, String reason) implements PolicyDecision {
        public Allow {
            rule = Objects.requireNonNullElse(rule, "default");
            reason = Objects.requireNonNullElse(reason, "");
        }

        @Override
        public PolicyEffect effect() {
            return PolicyEffect.ALLOW;
        }
    }

    /**
     * The subject must not proceed; {@code reason} is shown to the caller. {@code details} are machine-readable facts
     * about the denial for the caller's answer (for a quota: its limit and the current count, see
     * {@link AdmissionQuotas}); empty for most denials.
     */
    record Deny(String reason, String rule, Map<String, String> details) implements PolicyDecision {
        public Deny {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(rule, "rule");
            details = details == null ? Map.of() : Map.copyOf(details);
        }

        /** A denial without details. */
        public Deny(String reason, String rule) {
            this(reason, rule, Map.of());
        }

        @Override
        public PolicyEffect effect() {
            return PolicyEffect.DENY;
        }
    }

    /** The subject waits until an operator approves or denies it. */
    record RequireApproval(String reason, String rule) implements PolicyDecision {
        public RequireApproval {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public PolicyEffect effect() {
            return PolicyEffect.REQUIRE_APPROVAL;
        }
    }

    /** An allow by the named rule. */
    static PolicyDecision allow(String rule) {
        return new Allow(rule, "");
    }

    /** A denial by {@code rule} because {@code reason}. */
    static PolicyDecision deny(String rule, String reason) {
        return new Deny(reason, rule);
    }
}
