package ai.auraison.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ContractValidatorTest {

    private final ContractValidator validator = ContractValidator.get();

    private static ObjectNode golden(String path) throws Exception {
        return (ObjectNode) ContractJson.tree(Files.readString(Path.of("src/test/resources/golden", path)));
    }

    @Test
    void namesAMissingRequiredFieldByItsPointer() throws Exception {
        ObjectNode intent = golden("intent/maze-solve.json");
        ((ObjectNode) intent.get("policyCtx")).remove("tenant");
        assertThat(validator.validate(ContractType.INTENT, intent))
                .extracting(Violation::pointer)
                .containsExactly("/policyCtx/tenant");
    }

    @Test
    void namesAFieldOfTheWrongShape() throws Exception {
        ObjectNode intent = golden("intent/maze-solve.json");
        intent.put("priority", 42);
        intent.put("type", "Not A Type");
        assertThat(validator.validate(ContractType.INTENT, intent))
                .extracting(Violation::pointer)
                .containsExactly("/priority", "/type");
    }

    @Test
    void reportsEveryViolationAtOnce() throws Exception {
        ObjectNode intent = golden("intent/maze-solve.json");
        intent.remove("intentId");
        intent.putArray("targets");
        intent.put("schemaVersion", "2.0");
        assertThat(validator.validate(ContractType.INTENT, intent))
                .extracting(Violation::pointer)
                .containsExactly("/intentId", "/schemaVersion", "/targets");
    }

    @Test
    void requiresExactlyOneOfAgentAndApplicationInATarget() throws Exception {
        ObjectNode intent = golden("intent/maze-solve.json");
        ((ObjectNode) intent.get("targets").get(0)).put("application", "turtlebot-maze");
        assertThat(validator.validate(ContractType.INTENT, intent))
                .extracting(Violation::pointer)
                .contains("/targets/0");
    }

    @Test
    void checksAnAgentEventOnlyAgainstTheKindItNames() throws Exception {
        ObjectNode event = golden("agent-event/ToolCallCompleted.json");
        event.remove("durationMs");
        assertThat(validator.validate(ContractType.AGENT_EVENT, event))
                .extracting(Violation::pointer)
                .containsExactly("/durationMs");
    }

    @Test
    void refusesAnUnknownEventKind() throws Exception {
        ObjectNode event = golden("agent-event/RunFailed.json");
        event.put("kind", "RunExploded");
        assertThat(validator.validate(ContractType.AGENT_EVENT, event))
                .extracting(Violation::pointer)
                .containsExactly("/kind");
    }

    @Test
    void acceptsUnknownFieldsFromALaterMinorVersion() throws Exception {
        ObjectNode intent = golden("intent/maze-solve.json");
        intent.put("schemaVersion", "1.7");
        intent.put("aFieldFromTheFuture", true);
        assertThat(validator.validate(ContractType.INTENT, intent)).isEmpty();
        assertThat(ContractJson.convert(intent, Intent.class).schemaVersion()).isEqualTo("1.7");
    }

    @Test
    void reportsMalformedJsonAsAViolationOfTheWholeDocument() {
        assertThat(validator.validate(ContractType.SKILL, "{\"name\": "))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.pointer()).isEmpty();
                    assertThat(v.message()).startsWith("not well-formed JSON");
                });
    }

    @Test
    void validatesAgainstAToolsOwnInputSchema() {
        var schema = ContractJson.tree(
                "{\"type\":\"object\",\"properties\":{\"cells\":{\"type\":\"integer\",\"maximum\":3}},"
                        + "\"required\":[\"cells\"]}");
        var compiled = validator.compile(schema);
        assertThat(compiled.validate(ContractJson.tree("{\"cells\":2}"))).isEmpty();
        assertThat(compiled.validate(ContractJson.tree("{\"cells\":9}")))
                .extracting(Violation::pointer)
                .containsExactly("/cells");
        assertThat(compiled.validate(ContractJson.tree("{}")))
                .extracting(Violation::pointer)
                .containsExactly("/cells");
    }

    @Test
    void escapesPointerTokens() throws Exception {
        var schema = ContractJson.tree("{\"type\":\"object\",\"properties\":{\"a/b~c\":{\"type\":\"string\"}}}");
        assertThat(validator.validate(schema, ContractJson.tree("{\"a/b~c\": 1}")))
                .extracting(Violation::pointer)
                .containsExactly("/a~1b~0c");
    }

    @Test
    void refusesSomethingThatIsNotASchema() {
        assertThatThrownBy(() -> validator.compile(ContractJson.tree("{\"type\": 12}")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
