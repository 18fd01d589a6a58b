package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The effect of a policy decision. */
public enum PolicyEffect {
    @JsonProperty("allow")
    ALLOW,
    @JsonProperty("deny")
    DENY,
    @JsonProperty("require_approval")
    REQUIRE_APPROVAL
}
