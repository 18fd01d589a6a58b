package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated chat request in the format of the API that was called. The body stays a JSON tree so that fields
 * the gateway does not know pass through to the provider unchanged.
 *
 * @param api the API called
 * @param body the request body
 * @param raw the body's bytes as received (the cache key)
 * @param model the model asked for
 * @param stream whether the caller wants a stream
 * @param includeUsage whether an OpenAI caller asked for usage in the final chunk
 * @param estimatedTokensIn a rough estimate of the input tokens (four bytes a token)
 * @param maxTokensOut the caller's output limit, or a default of 1024 for estimates
 */
record ChatRequest(
        ApiFormat api,
        ObjectNode body,
        byte[] raw,
        String model,
        boolean stream,
        boolean includeUsage,
        long estimatedTokensIn,
        long maxTokensOut) {

    static final long DEFAULT_MAX_TOKENS = 1024;

    static ChatRequest parse(ApiFormat api, byte[] raw) {
        if (raw.length == 0) throw GatewayException.invalid(null, "the request needs a JSON body");
        JsonNode tree;
        try {
            tree = GatewayJson.MAPPER.readTree(raw);
        } catch (JacksonException e) {
            throw GatewayException.invalid(null, "the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode body))
            throw GatewayException.invalid(null, "the request body must be a JSON object");
        String model = GatewayJson.text(body.get("model"));
        if (model == null || model.isBlank())
            throw GatewayException.invalid("model", "'model' is required and must be a string");
        if (model.length() > 256) {
            throw GatewayException.invalid("model", "'model' is longer than 256 characters");
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isBoolean() && !stream.isNull()) {
            throw GatewayException.invalid("stream", "'stream' must be a boolean");
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayException.invalid("messages", "'messages' must be a non-empty array");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = GatewayJson.text(m.get("role"));
            if (role == null)
                throw GatewayException.invalid("messages[" + i + "].role", "messages[" + i + "] needs a string 'role'");
            if (api == ApiFormat.ANTHROPIC && !role.equals("user") && !role.equals("assistant")) {
                throw GatewayException.invalid(
                        "messages[" + i + "].role", "messages[" + i + "].role must be 'user' or 'assistant'");
            }
        }
        JsonNode tools = body.get("tools");
        if (tools != null && !tools.isArray() && !tools.isNull())
            throw GatewayException.invalid("tools", "'tools' must be an array");
        long maxTokens;
        if (api == ApiFormat.ANTHROPIC) {
            JsonNode max = body.get("max_tokens");
            if (max == null || !max.isIntegralNumber() || max.asLong() < 1) {
                throw GatewayException.invalid("max_tokens", "'max_tokens' is required and must be a positive integer");
            }
            maxTokens = max.asLong();
            JsonNode system = body.get("system");
            if (system != null && !system.isString() && !system.isArray() && !system.isNull()) {
                throw GatewayException.invalid("system", "'system' must be a string or an array of text blocks");
            }
        } else {
            maxTokens = DEFAULT_MAX_TOKENS;
            for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
                JsonNode max = body.get(field);
                if (max == null || max.isNull()) continue;
                if (!max.isIntegralNumber() || max.asLong() < 1) {
                    throw GatewayException.invalid(field, "'" + field + "' must be a positive integer");
                }
                maxTokens = max.asLong();
            }
        }
        boolean wantsStream = stream != null && stream.asBoolean(false);
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        return new ChatRequest(
                api, body, raw, model, wantsStream, includeUsage, Math.max(1, raw.length / 4), maxTokens);
    }
}
