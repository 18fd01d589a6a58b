package ai.auraison.edge.internal.demo;

import ai.auraison.contract.ContractJson;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The offline demo model's whole mind: a right-hand wall follower for the maze-navigation tools, decided from the
 * conversation alone (the last tool call and its result), so it is deterministic and stateless. For any other skill it
 * says that it only drives the maze.
 */
final class MazeStrategy {

    /** What the model does next: call a tool, or answer with text. */
    sealed interface Step {}

    record CallTool(String name, Map<String, Object> arguments) implements Step {}

    record Answer(String text) implements Step {}

    private static final int MAX_TOOL_CALLS = 4000;

    private MazeStrategy() {}

    /** The next step for an OpenAI-style {@code messages} array offered {@code tools}. */
    static Step next(JsonNode messages, JsonNode tools) {
        if (!offers(tools, "read_ranges")) {
            return new Answer(
                    "The Auraison offline demo model only drives the turtlebot-maze skill; it has no strategy for"
                            + " these tools.");
        }
        int calls = 0;
        for (JsonNode m : messages) if ("tool".equals(m.path("role").asString(""))) calls++;
        if (calls > MAX_TOOL_CALLS)
            return new Answer("I gave up after " + MAX_TOOL_CALLS + " tool calls without reaching the goal.");
        JsonNode last = messages.get(messages.size() - 1);
        if (!"tool".equals(last.path("role").asString(""))) return read();
        JsonNode call = callOf(messages, last.path("tool_call_id").asString(""));
        JsonNode result = parse(last.path("content"));
        if (call == null || result == null) return read();
        String name = call.path("function").path("name").asString("");
        JsonNode args = parse(call.path("function").path("arguments"));
        return switch (name) {
            case "read_ranges" -> {
                if (result.path("right").asInt(0) > 0) yield new CallTool("rotate", Map.of("direction", "right"));
                if (result.path("front").asInt(0) > 0) yield new CallTool("move", Map.of("cells", 1));
                yield new CallTool("rotate", Map.of("direction", "left"));
            }
            case "rotate" ->
                args != null && "right".equals(args.path("direction").asString(""))
                        ? new CallTool("move", Map.of("cells", 1))
                        : read();
            case "move" -> new CallTool("report_position", Map.of());
            case "report_position" ->
                result.path("atGoal").asBoolean(false)
                        ? new Answer("Reached the goal at (" + result.path("x").asInt() + ", "
                                + result.path("y").asInt() + ") in "
                                + result.path("moves").asInt() + " moves.")
                        : read();
            default -> read();
        };
    }

    private static Step read() {
        return new CallTool("read_ranges", Map.of());
    }

    private static boolean offers(JsonNode tools, String name) {
        for (JsonNode t : tools) if (name.equals(t.path("function").path("name").asString(""))) return true;
        return false;
    }

    private static JsonNode callOf(JsonNode messages, String id) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            for (JsonNode c : messages.get(i).path("tool_calls")) {
                if (id.equals(c.path("id").asString(""))) return c;
            }
        }
        return null;
    }

    private static JsonNode parse(JsonNode text) {
        String s = text.isString() ? text.asString() : contentText(text);
        try {
            JsonNode node = ContractJson.tree(s);
            return node.isObject() ? node : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String contentText(JsonNode content) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) sb.append(part.path("text").asString(""));
        return sb.toString();
    }
}
