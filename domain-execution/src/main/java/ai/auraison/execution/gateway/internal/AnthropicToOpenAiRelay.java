package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayException;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** An Anthropic Messages stream relayed to an OpenAI Chat Completions caller as chunks, tool calls included. */
final class AnthropicToOpenAiRelay extends StreamRelay {

    private final boolean includeUsage;
    private final long created = System.currentTimeMillis() / 1000;
    private final Map<Integer, Integer> toolIndexOfBlock = new HashMap<>();
    private String id = "chatcmpl-gateway";
    private int tools;
    private String finishReason = "stop";

    AnthropicToOpenAiRelay(ClientStream out, String requestedModel, boolean includeUsage) {
        super(out);
        this.includeUsage = includeUsage;
        this.servedModel = requestedModel;
    }

    @Override
    void onEvent(SseReader.SseEvent event) {
        if (event.data() == null) return;
        JsonNode node = PassthroughRelay.parse(event.data());
        if (node == null) return;
        String type = event.event() != null ? event.event() : node.path("type").asString("");
        switch (type) {
            case "message_start" -> {
                JsonNode message = node.path("message");
                id = "chatcmpl-" + message.path("id").asString("gateway");
                if (message.path("model").isString())
                    servedModel = message.path("model").stringValue();
                usage = Usage.ofAnthropic(message.path("usage"), usage);
                ObjectNode delta = GatewayJson.object().put("role", "assistant").put("content", "");
                emit(delta, null, false);
            }
            case "content_block_start" -> {
                JsonNode block = node.path("content_block");
                if ("tool_use".equals(block.path("type").asString(""))) {
                    int toolIndex = tools++;
                    toolIndexOfBlock.put(node.path("index").asInt(0), toolIndex);
                    ObjectNode delta = GatewayJson.object();
                    ObjectNode call = delta.putArray("tool_calls")
                            .addObject()
                            .put("index", toolIndex)
                            .put("id", block.path("id").asString(""))
                            .put("type", "function");
                    call.putObject("function")
                            .put("name", block.path("name").asString(""))
                            .put("arguments", "");
                    emit(delta, null, true);
                } else if ("text".equals(block.path("type").asString(""))
                        && !block.path("text").asString("").isEmpty()) {
                    emit(GatewayJson.object().put("content", block.path("text").stringValue()), null, true);
                }
            }
            case "content_block_delta" -> {
                JsonNode delta = node.path("delta");
                switch (delta.path("type").asString("")) {
                    case "text_delta" ->
                        emit(
                                GatewayJson.object()
                                        .put("content", delta.path("text").asString("")),
                                null,
                                true);
                    case "input_json_delta" -> {
                        Integer toolIndex =
                                toolIndexOfBlock.get(node.path("index").asInt(0));
                        if (toolIndex == null) return;
                        ObjectNode out = GatewayJson.object();
                        out.putArray("tool_calls")
                                .addObject()
                                .put("index", toolIndex)
                                .putObject("function")
                                .put("arguments", delta.path("partial_json").asString(""));
                        emit(out, null, true);
                    }
                    default -> {
                        // thinking and signature deltas have no Chat Completions equivalent
                    }
                }
            }
            case "message_delta" -> {
                String stop = node.path("delta").path("stop_reason").asString("");
                if (!stop.isEmpty()) finishReason = Translation.openAiFinishReason(stop);
                usage = Usage.ofAnthropic(node.path("usage"), usage);
            }
            case "message_stop" -> {
                completed = true;
                emit(GatewayJson.object(), finishReason, false);
                if (includeUsage) {
                    ObjectNode chunk = head();
                    chunk.putArray("choices");
                    chunk.putObject("usage")
                            .put("prompt_tokens", usage.in())
                            .put("completion_tokens", usage.out())
                            .put("total_tokens", usage.in() + usage.out());
                    out.write(utf8("data: " + chunk + "\n\n"), false);
                }
                out.write(utf8("data: [DONE]\n\n"), false);
            }
            case "error" -> {
                upstreamError = ApiFormat.ANTHROPIC.errorMessageOf(node);
                if (upstreamError == null) upstreamError = "upstream error";
            }
            default -> {
                // ping, content_block_stop
            }
        }
    }

    private ObjectNode head() {
        return GatewayJson.object()
                .put("id", id)
                .put("object", "chat.completion.chunk")
                .put("created", created)
                .put("model", servedModel == null ? "" : servedModel);
    }

    private void emit(ObjectNode delta, String finish, boolean token) {
        ObjectNode chunk = head();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finish);
        out.write(utf8("data: " + chunk + "\n\n"), token);
    }

    @Override
    void fail(GatewayException.Kind kind, String message) {
        out.write(ApiFormat.OPENAI.streamErrorFrame(kind, message), false);
    }
}
