package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A stream whose provider speaks the caller's format: every event goes out byte for byte as it arrives. Usage and
 * the served model are read on the way; the only change is that an OpenAI usage-only chunk the gateway asked for on
 * its own behalf (the caller did not set {@code stream_options.include_usage}) is not forwarded.
 */
final class PassthroughRelay extends StreamRelay {

    private final ApiFormat format;
    private final boolean forwardUsageChunk;

    PassthroughRelay(ClientStream out, ApiFormat format, boolean forwardUsageChunk) {
        super(out);
        this.format = format;
        this.forwardUsageChunk = forwardUsageChunk;
    }

    @Override
    void onEvent(SseReader.SseEvent event) {
        if (format == ApiFormat.OPENAI) openAi(event);
        else anthropic(event);
    }

    private void openAi(SseReader.SseEvent event) {
        String data = event.data();
        if (data == null) {
            out.write(event.raw(), false);
            return;
        }
        if (data.equals("[DONE]")) {
            completed = true;
            out.write(event.raw(), false);
            return;
        }
        boolean forward = true;
        if (servedModel == null || data.contains("\"usage\"") || data.contains("\"error\"")) {
            JsonNode chunk = parse(data);
            if (chunk != null) {
                if (servedModel == null && chunk.path("model").isString())
                    servedModel = chunk.path("model").stringValue();
                if (chunk.path("usage").isObject()) {
                    usage = Usage.ofOpenAi(chunk.get("usage"), usage);
                    forward = forwardUsageChunk
                            || !chunk.path("choices").isArray()
                            || !chunk.path("choices").isEmpty();
                }
                if (chunk.path("error").isObject()) {
                    upstreamError = ApiFormat.OPENAI.errorMessageOf(chunk);
                    if (upstreamError == null) upstreamError = "upstream error";
                }
            }
        }
        if (forward) out.write(event.raw(), carriesToken(data));
    }

    private void anthropic(SseReader.SseEvent event) {
        String type = event.event();
        String data = event.data();
        if (data == null) {
            out.write(event.raw(), false);
            return;
        }
        if (type == null) {
            JsonNode node = parse(data);
            type = node == null ? "" : node.path("type").asString("");
        }
        switch (type) {
            case "message_start" -> {
                JsonNode node = parse(data);
                if (node != null) {
                    JsonNode message = node.path("message");
                    usage = Usage.ofAnthropic(message.path("usage"), usage);
                    if (message.path("model").isString())
                        servedModel = message.path("model").stringValue();
                }
            }
            case "message_delta" -> {
                JsonNode node = parse(data);
                if (node != null) usage = Usage.ofAnthropic(node.path("usage"), usage);
            }
            case "message_stop" -> completed = true;
            case "error" -> {
                JsonNode node = parse(data);
                upstreamError = node == null ? null : ApiFormat.ANTHROPIC.errorMessageOf(node);
                if (upstreamError == null) upstreamError = "upstream error";
            }
            default -> {}
        }
        out.write(event.raw(), "content_block_delta".equals(type));
    }

    @Override
    void fail(GatewayException.Kind kind, String message) {
        out.write(format.streamErrorFrame(kind, message), false);
    }

    /** Whether an OpenAI chunk carries model output: content text or a tool call. */
    static boolean carriesToken(String data) {
        if (data.contains("\"tool_calls\"")) return true;
        int i = data.indexOf("\"content\":\"");
        return i >= 0 && i + 11 < data.length() && data.charAt(i + 11) != '"';
    }

    static JsonNode parse(String data) {
        try {
            return GatewayJson.MAPPER.readTree(data);
        } catch (JacksonException e) {
            return null;
        }
    }
}
