package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The two wire formats the gateway speaks, on both sides: OpenAI Chat Completions and Anthropic Messages. */
enum ApiFormat {
    OPENAI("openai"),
    ANTHROPIC("anthropic");

    private final String wireName;

    ApiFormat(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** The error body of this API for {@code e}. */
    byte[] errorBody(GatewayException e) {
        return GatewayJson.bytes(errorNode(e.kind(), e.code(), e.getMessage(), e.param()));
    }

    ObjectNode errorNode(GatewayException.Kind kind, String code, String message, String param) {
        ObjectNode root = GatewayJson.object();
        if (this == OPENAI) {
            ObjectNode error = root.putObject("error").put("message", message).put("type", openAiType(kind));
            if (param == null) error.putNull("param");
            else error.put("param", param);
            if (code == null) error.putNull("code");
            else error.put("code", code);
        } else {
            root.put("type", "error");
            root.putObject("error").put("type", anthropicType(kind)).put("message", message);
        }
        return root;
    }

    /** One stream frame that reports an error mid-stream, in this API's form (OpenAI adds {@code [DONE]}). */
    byte[] streamErrorFrame(GatewayException.Kind kind, String message) {
        ObjectNode error = errorNode(kind, "stream_error", message, null);
        String frame =
                this == OPENAI ? "data: " + error + "\n\ndata: [DONE]\n\n" : "event: error\ndata: " + error + "\n\n";
        return frame.getBytes(StandardCharsets.UTF_8);
    }

    /** The message of an upstream error body of this API, or null. */
    String errorMessageOf(JsonNode body) {
        JsonNode message = body.path("error").path("message");
        if (message.isString()) return message.stringValue();
        message = body.path("message");
        return message.isString() ? message.stringValue() : null;
    }

    static String openAiType(GatewayException.Kind kind) {
        return switch (kind) {
            case INVALID_REQUEST, NOT_FOUND, REQUEST_TOO_LARGE -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case RATE_LIMITED -> "rate_limit_error";
            case TIMEOUT -> "timeout";
            case UPSTREAM, UNAVAILABLE, INTERNAL -> "server_error";
        };
    }

    static String anthropicType(GatewayException.Kind kind) {
        return switch (kind) {
            case INVALID_REQUEST -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case REQUEST_TOO_LARGE -> "request_too_large";
            case RATE_LIMITED -> "rate_limit_error";
            case TIMEOUT -> "timeout_error";
            case UNAVAILABLE -> "overloaded_error";
            case UPSTREAM, INTERNAL -> "api_error";
        };
    }
}
