package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayException;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** An OpenAI Chat Completions stream relayed to an Anthropic Messages caller as events, tool use included. */
final class OpenAiToAnthropicRelay extends StreamRelay {

    private final Map<Integer, Integer> blockOfTool = new HashMap<>();
    private boolean started;
    private int blocks;
    private int openBlock = -1;
    private boolean openIsText;
    private String finishReason;

    OpenAiToAnthropicRelay(ClientStream out, String requestedModel) {
        super(out);
        this.servedModel = requestedModel;
    }

    @Override
    void onEvent(SseReader.SseEvent event) {
        String data = event.data();
        if (data == null) return;
        if (data.equals("[DONE]")) {
            completed = true;
            return;
        }
        JsonNode chunk = PassthroughRelay.parse(data);
        if (chunk == null) return;
        if (chunk.path("error").isObject()) {
            upstreamError = ApiFormat.OPENAI.errorMessageOf(chunk);
            if (upstreamError == null) upstreamError = "upstream error";
            return;
        }
        if (!started) start(chunk);
        if (chunk.path("usage").isObject()) usage = Usage.ofOpenAi(chunk.get("usage"), usage);
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        String text = GatewayJson.text(delta.get("content"));
        if (text != null && !text.isEmpty()) {
            if (openBlock < 0 || !openIsText) {
                closeBlock();
                openBlock = blocks++;
                openIsText = true;
                ObjectNode start =
                        GatewayJson.object().put("type", "content_block_start").put("index", openBlock);
                start.putObject("content_block").put("type", "text").put("text", "");
                event("content_block_start", start, false);
            }
            ObjectNode d =
                    GatewayJson.object().put("type", "content_block_delta").put("index", openBlock);
            d.putObject("delta").put("type", "text_delta").put("text", text);
            event("content_block_delta", d, true);
        }
        for (JsonNode call : delta.path("tool_calls")) {
            int toolIndex = call.path("index").asInt(0);
            Integer block = blockOfTool.get(toolIndex);
            if (block == null) {
                closeBlock();
                block = blocks++;
                blockOfTool.put(toolIndex, block);
                openBlock = block;
                openIsText = false;
                ObjectNode start =
                        GatewayJson.object().put("type", "content_block_start").put("index", block);
                start.putObject("content_block")
                        .put("type", "tool_use")
                        .put("id", call.path("id").asString("toolu_" + toolIndex))
                        .put("name", call.path("function").path("name").asString(""))
                        .putObject("input");
                event("content_block_start", start, true);
            }
            String arguments = call.path("function").path("arguments").asString("");
            if (!arguments.isEmpty()) {
                ObjectNode d =
                        GatewayJson.object().put("type", "content_block_delta").put("index", block);
                d.putObject("delta").put("type", "input_json_delta").put("partial_json", arguments);
                event("content_block_delta", d, true);
            }
        }
        String finish = GatewayJson.text(choice.get("finish_reason"));
        if (finish != null) finishReason = finish;
    }

    private void start(JsonNode chunk) {
        started = true;
        if (chunk.path("model").isString()) servedModel = chunk.path("model").stringValue();
        ObjectNode start = GatewayJson.object().put("type", "message_start");
        ObjectNode message = start.putObject("message")
                .put("id", "msg_" + chunk.path("id").asString("gateway"))
                .put("type", "message")
                .put("role", "assistant")
                .put("model", servedModel == null ? "" : servedModel);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
        event("message_start", start, false);
    }

    private void closeBlock() {
        if (openBlock < 0) return;
        event(
                "content_block_stop",
                GatewayJson.object().put("type", "content_block_stop").put("index", openBlock),
                false);
        openBlock = -1;
    }

    @Override
    boolean completed() {
        // an OpenAI-compatible server that ends without [DONE] after a finish reason has still finished
        return completed || finishReason != null;
    }

    @Override
    void finish() {
        if (!started) start(GatewayJson.object());
        closeBlock();
        ObjectNode delta = GatewayJson.object().put("type", "message_delta");
        delta.putObject("delta")
                .put("stop_reason", Translation.anthropicStopReason(finishReason == null ? "stop" : finishReason))
                .putNull("stop_sequence");
        delta.putObject("usage").put("input_tokens", usage.in()).put("output_tokens", usage.out());
        event("message_delta", delta, false);
        event("message_stop", GatewayJson.object().put("type", "message_stop"), false);
    }

    private void event(String type, ObjectNode data, boolean token) {
        out.write(utf8("event: " + type + "\ndata: " + data + "\n\n"), token);
    }

    @Override
    void fail(GatewayException.Kind kind, String message) {
        out.write(ApiFormat.ANTHROPIC.streamErrorFrame(kind, message), false);
    }
}
