package ai.auraison.contract.spi;

import ai.auraison.contract.Intent;
import ai.auraison.contract.PolicySubjectKind;
import ai.auraison.contract.RunId;
import ai.auraison.contract.TenantId;
import ai.auraison.contract.ToolCall;
import java.math.BigDecimal;

/** What a {@link PolicyHook} decides on: an intent at admission, a tool call before it runs, or a model call. */
public sealed interface PolicySubject {

    /** The kind of subject, as recorded in a {@code PolicyDecided} event. */
    PolicySubjectKind kind();

    /** A short reference to the subject: the intent id, the tool call id, or the model name. */
    String ref();

    /** An intent asking for admission. */
    record IntentSubject(Intent intent) implements PolicySubject {
        @Override
        public PolicySubjectKind kind() {
            return PolicySubjectKind.INTENT;
        }

        @Override
        public String ref() {
            return intent.intentId().value();
        }
    }

    /** A tool call about to run, with the name of the skill that grants the tool. */
    record ToolCallSubject(ToolCall call, String skill) implements PolicySubject {
        @Override
        public PolicySubjectKind kind() {
            return PolicySubjectKind.TOOL_CALL;
        }

        @Override
        public String ref() {
            return call.toolCallId().value();
        }
    }

    /**
     * A model call about to be sent: the model asked for, the run it serves (when known) and the estimates a budget
     * reserves against.
     */
    record ModelCallSubject(
            TenantId tenant,
            RunId runId,
            String model,
            long estimatedTokensIn,
            long estimatedTokensOut,
            BigDecimal estimatedCostUsd)
            implements PolicySubject {
        @Override
        public PolicySubjectKind kind() {
            return PolicySubjectKind.MODEL_CALL;
        }

        @Override
        public String ref() {
            return model;
        }
    }
}
