package ai.auraison.execution.gateway.internal;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Translates requests and whole responses between OpenAI Chat Completions and Anthropic Messages, tool calls
 * included, so a request in one format can be served by a provider of the other. Fields without an equivalent are
 * dropped; streams are translated by {@link AnthropicToOpenAiRelay} and {@link OpenAiToAnthropicRelay}.
 */
final class Translation {

    private Translation() {}

    // --- requests ------------------------------------------------------------------------------------------------

    /** An OpenAI chat request as an Anthropic Messages request for {@code model}. */
    static ObjectNode anthropicRequest(ObjectNode openai, String model) {
        ObjectNode out = GatewayJson.object().put("model", model);
        long max = ChatRequest.DEFAULT_MAX_TOKENS * 4;
        for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
            if (openai.path(field).isIntegralNumber()) max = openai.path(field).asLong();
        }
        out.put("max_tokens", max);
        StringBuilder system = new StringBuilder();
        ArrayNode messages = out.putArray("messages");
        for (JsonNode m : openai.path("messages")) {
            String role = m.path("role").asString("");
            switch (role) {
                case "system", "developer" -> {
                    if (!system.isEmpty()) system.append("\n\n");
                    system.append(plainText(m.path("content")));
                }
                case "user" -> append(messages, "user", userBlocks(m.path("content")));
                case "assistant" -> {
                    ArrayNode blocks = GatewayJson.MAPPER.createArrayNode();
                    String text = plainText(m.path("content"));
                    if (!text.isEmpty()) blocks.addObject().put("type", "text").put("text", text);
                    for (JsonNode call : m.path("tool_calls")) {
                        ObjectNode use = blocks.addObject()
                                .put("type", "tool_use")
                                .put("id", call.path("id").asString(""))
                                .put("name", call.path("function").path("name").asString(""));
                        use.set(
                                "input",
                                parseObject(
                                        call.path("function").path("arguments").asString("")));
                    }
                    if (!blocks.isEmpty()) append(messages, "assistant", blocks);
                }
                case "tool" -> {
                    ArrayNode blocks = GatewayJson.MAPPER.createArrayNode();
                    blocks.addObject()
                            .put("type", "tool_result")
                            .put("tool_use_id", m.path("tool_call_id").asString(""))
                            .put("content", plainText(m.path("content")));
                    append(messages, "user", blocks);
                }
                default -> {
                    // unknown roles have no Anthropic equivalent
                }
            }
        }
        if (!system.isEmpty()) out.put("system", system.toString());
        JsonNode tools = openai.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            ArrayNode outTools = out.putArray("tools");
            for (JsonNode tool : tools) {
                JsonNode fn = tool.path("function");
                ObjectNode t = outTools.addObject().put("name", fn.path("name").asString(""));
                if (fn.path("description").isString())
                    t.put("description", fn.path("description").stringValue());
                JsonNode schema = fn.path("parameters");
                t.set(
                        "input_schema",
                        schema.isObject() ? schema : GatewayJson.object().put("type", "object"));
            }
        }
        JsonNode choice = openai.path("tool_choice");
        ObjectNode toolChoice = null;
        if (choice.isString()) {
            toolChoice = switch (choice.stringValue()) {
                case "required" -> GatewayJson.object().put("type", "any");
                case "none" -> GatewayJson.object().put("type", "none");
                default -> GatewayJson.object().put("type", "auto");
            };
        } else if (choice.isObject()) {
            toolChoice = GatewayJson.object()
                    .put("type", "tool")
                    .put("name", choice.path("function").path("name").asString(""));
        }
        if (openai.path("parallel_tool_calls").isBoolean()
                && !openai.path("parallel_tool_calls").asBoolean()) {
            if (toolChoice == null) toolChoice = GatewayJson.object().put("type", "auto");
            toolChoice.put("disable_parallel_tool_use", true);
        }
        if (toolChoice != null && out.has("tools")) out.set("tool_choice", toolChoice);
        JsonNode stop = openai.path("stop");
        if (stop.isString()) out.putArray("stop_sequences").add(stop.stringValue());
        if (stop.isArray()) out.set("stop_sequences", stop);
        if (openai.path("temperature").isNumber()) {
            out.put("temperature", Math.min(1.0, openai.path("temperature").asDouble()));
        }
        if (openai.path("top_p").isNumber()) out.set("top_p", openai.get("top_p"));
        if (openai.path("user").isString())
            out.putObject("metadata").put("user_id", openai.path("user").stringValue());
        if (openai.path("stream").asBoolean(false)) out.put("stream", true);
        return out;
    }

    /** An Anthropic Messages request as an OpenAI chat request for {@code model}. */
    static ObjectNode openAiRequest(ObjectNode anthropic, String model) {
        ObjectNode out = GatewayJson.object().put("model", model);
        ArrayNode messages = out.putArray("messages");
        JsonNode system = anthropic.path("system");
        String systemText = plainText(system);
        if (!systemText.isEmpty()) messages.addObject().put("role", "system").put("content", systemText);
        for (JsonNode m : anthropic.path("messages")) {
            String role = m.path("role").asString("");
            JsonNode content = m.path("content");
            if (content.isString()) {
                messages.addObject().put("role", role).put("content", content.stringValue());
                continue;
            }
            if ("assistant".equals(role)) {
                StringBuilder text = new StringBuilder();
                ArrayNode calls = GatewayJson.MAPPER.createArrayNode();
                for (JsonNode block : content) {
                    switch (block.path("type").asString("")) {
                        case "text" -> text.append(block.path("text").asString(""));
                        case "tool_use" -> {
                            ObjectNode call = calls.addObject()
                                    .put("id", block.path("id").asString(""))
                                    .put("type", "function");
                            call.putObject("function")
                                    .put("name", block.path("name").asString(""))
                                    .put(
                                            "arguments",
                                            block.path("input").isMissingNode()
                                                    ? "{}"
                                                    : block.path("input").toString());
                        }
                        default -> {
                            // thinking and server-tool blocks have no Chat Completions equivalent
                        }
                    }
                }
                ObjectNode msg = messages.addObject().put("role", "assistant");
                if (text.isEmpty()) msg.putNull("content");
                else msg.put("content", text.toString());
                if (!calls.isEmpty()) msg.set("tool_calls", calls);
                continue;
            }
            ArrayNode parts = GatewayJson.MAPPER.createArrayNode();
            boolean onlyText = true;
            for (JsonNode block : content) {
                switch (block.path("type").asString("")) {
                    case "tool_result" ->
                        messages.addObject()
                                .put("role", "tool")
                                .put("tool_call_id", block.path("tool_use_id").asString(""))
                                .put("content", plainText(block.path("content")));
                    case "text" ->
                        parts.addObject()
                                .put("type", "text")
                                .put("text", block.path("text").asString(""));
                    case "image" -> {
                        onlyText = false;
                        JsonNode source = block.path("source");
                        String url = "base64".equals(source.path("type").asString(""))
                                ? "data:" + source.path("media_type").asString("image/png") + ";base64,"
                                        + source.path("data").asString("")
                                : source.path("url").asString("");
                        parts.addObject()
                                .put("type", "image_url")
                                .putObject("image_url")
                                .put("url", url);
                    }
                    default -> {
                        // documents and other blocks have no Chat Completions equivalent
                    }
                }
            }
            if (parts.isEmpty()) continue;
            if (onlyText) {
                StringBuilder text = new StringBuilder();
                for (JsonNode part : parts) text.append(part.path("text").asString(""));
                messages.addObject().put("role", role).put("content", text.toString());
            } else {
                messages.addObject().put("role", role).set("content", parts);
            }
        }
        out.put("max_tokens", anthropic.path("max_tokens").asLong(ChatRequest.DEFAULT_MAX_TOKENS));
        JsonNode tools = anthropic.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            ArrayNode outTools = out.putArray("tools");
            for (JsonNode tool : tools) {
                if (!tool.has("input_schema")) continue; // server tools (web search, …) cannot be offered here
                ObjectNode fn = outTools.addObject().put("type", "function").putObject("function");
                fn.put("name", tool.path("name").asString(""));
                if (tool.path("description").isString())
                    fn.put("description", tool.path("description").stringValue());
                fn.set("parameters", tool.get("input_schema"));
            }
        }
        JsonNode choice = anthropic.path("tool_choice");
        if (choice.isObject() && out.has("tools")) {
            switch (choice.path("type").asString("auto")) {
                case "any" -> out.put("tool_choice", "required");
                case "none" -> out.put("tool_choice", "none");
                case "tool" ->
                    out.putObject("tool_choice")
                            .put("type", "function")
                            .putObject("function")
                            .put("name", choice.path("name").asString(""));
                default -> out.put("tool_choice", "auto");
            }
            if (choice.path("disable_parallel_tool_use").asBoolean(false)) out.put("parallel_tool_calls", false);
        }
        if (anthropic.path("stop_sequences").isArray()) out.set("stop", anthropic.get("stop_sequences"));
        if (anthropic.path("temperature").isNumber()) out.set("temperature", anthropic.get("temperature"));
        if (anthropic.path("top_p").isNumber()) out.set("top_p", anthropic.get("top_p"));
        if (anthropic.path("metadata").path("user_id").isString()) {
            out.put("user", anthropic.path("metadata").path("user_id").stringValue());
        }
        if (anthropic.path("stream").asBoolean(false)) {
            out.put("stream", true);
            out.putObject("stream_options").put("include_usage", true);
        }
        return out;
    }

    // --- whole responses -----------------------------------------------------------------------------------------

    /** An Anthropic message as an OpenAI chat completion. */
    static ObjectNode openAiCompletion(JsonNode message) {
        ObjectNode out = GatewayJson.object()
                .put("id", "chatcmpl-" + message.path("id").asString("gateway"))
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", message.path("model").asString(""));
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode msg = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = GatewayJson.MAPPER.createArrayNode();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asString("")) {
                case "text" -> text.append(block.path("text").asString(""));
                case "tool_use" -> {
                    ObjectNode call = calls.addObject()
                            .put("id", block.path("id").asString(""))
                            .put("type", "function");
                    call.putObject("function")
                            .put("name", block.path("name").asString(""))
                            .put(
                                    "arguments",
                                    block.path("input").isMissingNode()
                                            ? "{}"
                                            : block.path("input").toString());
                }
                default -> {}
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) msg.putNull("content");
        else msg.put("content", text.toString());
        if (!calls.isEmpty()) msg.set("tool_calls", calls);
        choice.put(
                "finish_reason", openAiFinishReason(message.path("stop_reason").asString("end_turn")));
        choice.putNull("logprobs");
        Usage usage = Usage.ofAnthropic(message.path("usage"), Usage.NONE);
        out.putObject("usage")
                .put("prompt_tokens", usage.in())
                .put("completion_tokens", usage.out())
                .put("total_tokens", usage.in() + usage.out());
        return out;
    }

    /** An OpenAI chat completion as an Anthropic message. */
    static ObjectNode anthropicMessage(JsonNode completion) {
        ObjectNode out = GatewayJson.object()
                .put("id", "msg_" + completion.path("id").asString("gateway"))
                .put("type", "message")
                .put("role", "assistant")
                .put("model", completion.path("model").asString(""));
        ArrayNode content = out.putArray("content");
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        String text = plainText(message.path("content"));
        if (!text.isEmpty()) content.addObject().put("type", "text").put("text", text);
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode use = content.addObject()
                    .put("type", "tool_use")
                    .put("id", call.path("id").asString(""))
                    .put("name", call.path("function").path("name").asString(""));
            use.set("input", parseObject(call.path("function").path("arguments").asString("")));
        }
        out.put("stop_reason", anthropicStopReason(choice.path("finish_reason").asString("stop")));
        out.putNull("stop_sequence");
        Usage usage = Usage.ofOpenAi(completion.path("usage"), Usage.NONE);
        out.putObject("usage").put("input_tokens", usage.in()).put("output_tokens", usage.out());
        return out;
    }

    // --- pieces --------------------------------------------------------------------------------------------------

    static String openAiFinishReason(String anthropicStopReason) {
        return switch (anthropicStopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    static String anthropicStopReason(String openAiFinishReason) {
        return switch (openAiFinishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    private static final Map<String, String> NO_ARGUMENTS = Map.of();

    /** Tool arguments as a JSON object; arguments that are not an object are wrapped so nothing is lost. */
    static JsonNode parseObject(String json) {
        if (json == null || json.isBlank()) return GatewayJson.MAPPER.valueToTree(NO_ARGUMENTS);
        try {
            JsonNode node = GatewayJson.MAPPER.readTree(json);
            if (node.isObject()) return node;
        } catch (JacksonException e) {
            // fall through: keep the raw text
        }
        return GatewayJson.object().put("_raw", json);
    }

    /** The text of a content field: a string, or the text parts of an array. */
    static String plainText(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) return "";
        if (content.isString()) return content.stringValue();
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.isString()) text.append(part.stringValue());
            else if (part.path("text").isString()) text.append(part.path("text").stringValue());
        }
        return text.toString();
    }

    private static ArrayNode userBlocks(JsonNode content) {
        ArrayNode blocks = GatewayJson.MAPPER.createArrayNode();
        if (content.isString()) {
            blocks.addObject().put("type", "text").put("text", content.stringValue());
            return blocks;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asString("")) {
                case "text" ->
                    blocks.addObject()
                            .put("type", "text")
                            .put("text", part.path("text").asString(""));
                case "image_url" -> {
                    String url = part.path("image_url").path("url").asString("");
                    ObjectNode source = blocks.addObject().put("type", "image").putObject("source");
                    int comma = url.indexOf(',');
                    if (url.startsWith("data:")
                            && comma > 0
                            && url.substring(0, comma).endsWith(";base64")) {
                        source.put("type", "base64")
                                .put("media_type", url.substring(5, comma - ";base64".length()))
                                .put("data", url.substring(comma + 1));
                    } else {
                        source.put("type", "url").put("url", url);
                    }
                }
                default -> {
                    // audio and files have no Messages equivalent here
                }
            }
        }
        return blocks;
    }

    /** Appends blocks as a message of {@code role}, merged into the previous message when it has the same role. */
    private static void append(ArrayNode messages, String role, ArrayNode blocks) {
        if (blocks.isEmpty()) return;
        if (!messages.isEmpty()) {
            ObjectNode last = (ObjectNode) messages.get(messages.size() - 1);
            if (role.equals(last.path("role").asString(""))) {
                ArrayNode existing = (ArrayNode) last.get("content");
                // tool results must lead a user turn
                if (blocks.get(0).path("type").asString("").equals("tool_result")) {
                    ArrayNode merged = GatewayJson.MAPPER.createArrayNode();
                    for (JsonNode b : existing)
                        if ("tool_result".equals(b.path("type").asString(""))) merged.add(b);
                    merged.addAll(blocks);
                    for (JsonNode b : existing)
                        if (!"tool_result".equals(b.path("type").asString(""))) merged.add(b);
                    last.set("content", merged);
                } else {
                    existing.addAll(blocks);
                }
                return;
            }
        }
        messages.addObject().put("role", role).set("content", blocks);
    }
}
