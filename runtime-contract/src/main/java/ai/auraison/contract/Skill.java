package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A packaged capability of an agent: markdown instructions for the model, the tools it grants and the intent types
 * it accepts. Platform agents are packaged as skills; the Pi harness materialises one as a Pi skill folder.
 *
 * @param name the skill name, also its folder name ({@value #NAME_PATTERN}, Pi's rule)
 * @param version a semantic version of the skill's content
 * @param application the reference application the skill belongs to
 * @param intentTypes the {@link Intent#type()} values this skill accepts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Skill(
        @NotNull @Pattern(regexp = NAME_PATTERN) String name,

        @NotNull @Pattern(regexp = "^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?$")
        String version,

        @NotNull @Size(min = 1, max = 1024) String description,
        @NotNull @Size(min = 1, max = 65536) String instructions,
        @NotNull List<ToolSpec> tools,
        @NotNull @Pattern(regexp = NAME_PATTERN) String application,
        @NotNull @Size(min = 1) List<@Pattern(regexp = Intent.TYPE_PATTERN) String> intentTypes,

        @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
        String schemaVersion) {

    /** Skill and application names: Pi's skill-name rule. */
    public static final String NAME_PATTERN = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$";

    public Skill {
        if (name == null) throw new IllegalArgumentException("skill name is required");
        tools = tools == null ? List.of() : List.copyOf(tools);
        intentTypes = intentTypes == null ? List.of() : List.copyOf(intentTypes);
        schemaVersion = schemaVersion == null ? SchemaVersions.CURRENT : schemaVersion;
    }

    /** Whether this skill accepts intents of {@code type}. */
    public boolean offers(String type) {
        return intentTypes.contains(type);
    }

    /** The tool named {@code name}, if this skill grants it. */
    public java.util.Optional<ToolSpec> tool(String toolName) {
        return tools.stream().filter(t -> t.name().equals(toolName)).findFirst();
    }
}
