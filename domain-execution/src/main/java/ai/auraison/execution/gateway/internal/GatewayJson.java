package ai.auraison.execution.gateway.internal;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The gateway's one JSON mapper (plain: provider bodies are passed through, not bound to types). */
final class GatewayJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private GatewayJson() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    /** The string value of {@code node}, or null when it is not a string. */
    static String text(JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }

    /** A JSON string literal for {@code s}. */
    static String quote(String s) {
        return MAPPER.getNodeFactory().stringNode(s).toString();
    }
}
