package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a policy decision was about. */
public enum PolicySubjectKind {
    @JsonProperty("intent")
    INTENT,
    @JsonProperty("tool_call")
    TOOL_CALL,
    @JsonProperty("model_call")
    MODEL_CALL
}
