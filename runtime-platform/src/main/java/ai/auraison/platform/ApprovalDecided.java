package ai.auraison.platform;

import java.util.Objects;

/**
 * An operator approved or denied a subject that waited for approval: published as a Spring application event by the
 * governance domain (on the replica that took the decision, after it committed) so that the domain holding the
 * subject can go on, without either depending on the other. For an intent, orchestration queues its run (approved) or
 * rejects it (denied).
 *
 * @param tenant the subject's tenant
 * @param subjectKind {@code intent}, {@code tool_call} or {@code model_call}
 * @param subjectRef the intent id, tool call id or model name
 * @param approved whether it may proceed
 * @param decidedBy who decided ({@code tenant/principal})
 * @param rule the decision's rule ({@code approval/<id>})
 * @param reason the operator's reason, possibly empty
 */
public record ApprovalDecided(
        String tenant,
        String subjectKind,
        String subjectRef,
        boolean approved,
        String decidedBy,
        String rule,
        String reason) {

    public ApprovalDecided {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(subjectKind, "subjectKind");
        Objects.requireNonNull(subjectRef, "subjectRef");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(rule, "rule");
        reason = reason == null ? "" : reason;
    }
}
