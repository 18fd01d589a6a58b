package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The four domains the runtime contract is projected into. */
public enum Domain {
    @JsonProperty("execution")
    EXECUTION,
    @JsonProperty("orchestration")
    ORCHESTRATION,
    @JsonProperty("memory")
    MEMORY,
    @JsonProperty("governance")
    GOVERNANCE
}
