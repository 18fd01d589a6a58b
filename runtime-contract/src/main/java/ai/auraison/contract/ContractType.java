package ai.auraison.contract;

import java.util.Arrays;
import java.util.Optional;

/** The six top-level types of the contract, with their URL slug and their schema file name. */
public enum ContractType {
    INTENT("intent", Intent.class),
    SKILL("skill", Skill.class),
    TOOL_CALL("tool-call", ToolCall.class),
    RUN_STATE("run-state", RunState.class),
    AGENT_EVENT("agent-event", AgentEvent.class),
    PROJECTION_EVENT("projection-event", ProjectionEvent.class);

    private final String slug;
    private final Class<?> javaType;

    ContractType(String slug, Class<?> javaType) {
        this.slug = slug;
        this.javaType = javaType;
    }

    /** The name used in URLs and schema file names, for example {@code tool-call}. */
    public String slug() {
        return slug;
    }

    /** The Java type the schema is generated from. */
    public Class<?> javaType() {
        return javaType;
    }

    /** The schema file name under {@code runtime-contract/schemas/}. */
    public String schemaFile() {
        return slug + ".schema.json";
    }

    /** The {@code $id} of the schema. */
    public String schemaId() {
        return "https://schemas.auraison.ai/contract/v1/" + schemaFile();
    }

    /** The type with this slug. */
    public static Optional<ContractType> bySlug(String slug) {
        return Arrays.stream(values()).filter(t -> t.slug.equals(slug)).findFirst();
    }
}
