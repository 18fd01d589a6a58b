package ai.auraison.testfixtures.models;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A request {@link ScriptedModelServer} received: its path, headers (lower-case names) and JSON body. */
public record RecordedRequest(String path, Map<String, List<String>> headers, JsonNode body) {

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The {@code model} of the body. */
    public String model() {
        return body.path("model").asString("");
    }
}
