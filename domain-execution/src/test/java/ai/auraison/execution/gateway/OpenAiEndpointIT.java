package ai.auraison.execution.gateway;

import static ai.auraison.execution.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.testfixtures.models.ScriptedModelServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OpenAI-compatible endpoint over real HTTP, against the scripted upstream (no SDK: exact frames). */
class OpenAiEndpointIT {

    final TestGateway gateway = TestGateway.shared();

    static List<String> dataFrames(String body) {
        List<String> frames = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (frame.startsWith("data: ")) frames.add(frame.substring(6));
        }
        return frames;
    }

    @Test
    void servesAChatCompletionFromTheDeploymentTheVirtualModelNames() {
        HttpResponse<String> r = gateway.post(
                "/v1/chat/completions", "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r.body());
        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo("Hello from gpt-4o-mini.");
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(ScriptedModelServer.TOKENS_IN);
        assertThat(r.headers().firstValue("cf-aig-cache-status")).hasValue("MISS");
        assertThat(r.headers().firstValue("cf-aig-provider")).hasValue("oa");
        assertThat(gateway.upstream.lastRequest("gpt-4o-mini").header("authorization"))
                .isEqualTo("Bearer sk-upstream-openai");

        ModelCallRecord record = gateway.record(r);
        assertThat(record.virtualModel()).isEqualTo("chat");
        assertThat(record.model()).isEqualTo("gpt-4o-mini");
        assertThat(record.deployment()).isEqualTo("gpt");
        assertThat(record.provider()).isEqualTo("oa");
        assertThat(record.tokensIn()).isEqualTo(12);
        assertThat(record.tokensOut()).isEqualTo(5);
        // 12 × 0.15 + 5 × 0.6 per million
        assertThat(record.costUsd()).isEqualByComparingTo("0.0000048");
        assertThat(record.cacheHit()).isFalse();
        assertThat(record.retries()).isZero();
        assertThat(record.fallbackUsed()).isFalse();
        assertThat(record.ok()).isTrue();
        assertThat(record.tenant().value()).isEqualTo("default");
    }

    @Test
    void streamsTheReferenceFramesAndAddsUsageOnlyWhenAsked() {
        HttpResponse<String> plain = gateway.post(
                "/v1/chat/completions",
                "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("content-type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        List<String> frames = dataFrames(plain.body());
        assertThat(frames.get(frames.size() - 1)).isEqualTo("[DONE]");
        assertThat(frames).noneMatch(f -> f.contains("\"usage\""));
        // the gateway still asked for usage upstream, for its accounting
        assertThat(gateway.upstream
                        .lastRequest("gpt-4o-mini")
                        .body()
                        .at("/stream_options/include_usage")
                        .asBoolean())
                .isTrue();
        ModelCallRecord record = gateway.record(plain);
        assertThat(record.tokensOut()).isEqualTo(5);
        assertThat(record.ttftMs()).isNotNull();
        assertThat(record.stream()).isTrue();

        HttpResponse<String> withUsage = gateway.post(
                "/v1/chat/completions",
                "{\"model\":\"chat\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        List<String> usageFrames = dataFrames(withUsage.body());
        JsonNode last = json(usageFrames.get(usageFrames.size() - 2));
        assertThat(last.get("choices").isEmpty()).isTrue();
        assertThat(last.at("/usage/completion_tokens").asInt()).isEqualTo(5);
        StringBuilder text = new StringBuilder();
        for (String f : usageFrames) {
            if (!f.equals("[DONE]"))
                text.append(json(f).at("/choices/0/delta/content").asString(""));
        }
        assertThat(text.toString()).isEqualTo("Hello from gpt-4o-mini.");
    }

    @Test
    void servesPisExactRequestShape() {
        // pi-rpc.md §14: always streaming, usage asked, store:false, max_completion_tokens, tools
        String pi = "{\"model\":\"chat\",\"messages\":[{\"role\":\"system\",\"content\":\"You are Pi.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"run it\"}]},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_c83a1944\",\"type\":\"function\","
                + "\"function\":{\"name\":\"bash\",\"arguments\":\"{\\\"command\\\":\\\"echo hi\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"content\":\"hi\\n\",\"tool_call_id\":\"call_c83a1944\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"store\":false,\"max_completion_tokens\":4096,"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"bash\",\"description\":\"Run bash\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}}}}}]}";
        HttpResponse<String> r = gateway.post("/v1/chat/completions", pi, "authorization", "Bearer mock-key");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> frames = dataFrames(r.body());
        assertThat(frames).last().isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String f : frames)
            if (!f.equals("[DONE]"))
                text.append(json(f).at("/choices/0/delta/content").asString(""));
        assertThat(text.toString()).isEqualTo("Tool said: hi\n");
        JsonNode sent = gateway.upstream.lastRequest("gpt-4o-mini").body();
        assertThat(sent.get("store").asBoolean(true)).isFalse();
        assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(4096);
        assertThat(sent.at("/messages/2/tool_calls/0/id").asString()).isEqualTo("call_c83a1944");
    }

    @Test
    void streamsToolCallsWithArgumentsInPieces() {
        HttpResponse<String> r = gateway.post(
                "/v1/chat/completions",
                "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]}");
        StringBuilder arguments = new StringBuilder();
        String finish = null;
        for (String f : dataFrames(r.body())) {
            if (f.equals("[DONE]")) continue;
            JsonNode call = json(f).at("/choices/0/delta/tool_calls/0");
            if (!call.isMissingNode())
                arguments.append(call.at("/function/arguments").asString(""));
            if (json(f).at("/choices/0/finish_reason").isString())
                finish = json(f).at("/choices/0/finish_reason").asString();
        }
        assertThat(arguments.toString()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(finish).isEqualTo("tool_calls");
    }

    @Test
    void servesAnOpenAiRequestFromAnAnthropicProviderWithToolCalls() {
        HttpResponse<String> r = gateway.post(
                "/v1/chat/completions",
                "{\"model\":\"claude\",\"max_tokens\":100,\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                        + "{\"role\":\"user\",\"content\":\"weather?\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],"
                        + "\"tool_choice\":\"required\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r.body());
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(body.at("/choices/0/message/tool_calls/0/function/name").asString())
                .isEqualTo("get_weather");
        assertThat(json(body.at("/choices/0/message/tool_calls/0/function/arguments")
                                .asString())
                        .get("city")
                        .asString())
                .isEqualTo("Paris");
        JsonNode sent = gateway.upstream.lastRequest("claude-sonnet-4-6").body();
        assertThat(sent.get("system").asString()).isEqualTo("be brief");
        assertThat(sent.at("/tools/0/input_schema/type").asString()).isEqualTo("object");
        assertThat(sent.at("/tool_choice/type").asString()).isEqualTo("any");
        assertThat(gateway.upstream.lastRequest("claude-sonnet-4-6").header("x-api-key"))
                .isEqualTo("sk-upstream-anthropic");
    }

    @Test
    void streamsAnAnthropicProviderAsOpenAiChunks() {
        HttpResponse<String> r = gateway.post(
                "/v1/chat/completions",
                "{\"model\":\"claude\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        List<String> frames = dataFrames(r.body());
        assertThat(frames).last().isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String f : frames)
            if (!f.equals("[DONE]"))
                text.append(json(f).at("/choices/0/delta/content").asString(""));
        assertThat(text.toString()).isEqualTo("Hello from claude-sonnet-4-6.");
        JsonNode usage = json(frames.get(frames.size() - 2)).get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(12);
        assertThat(usage.get("completion_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void answersBadInputWithOpenAiErrorsNever5xx() {
        assertError(gateway.post("/v1/chat/completions", "{\"model\":"), 400, "invalid_request_error");
        assertError(gateway.post("/v1/chat/completions", "[]"), 400, "invalid_request_error");
        assertError(
                gateway.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                400,
                "invalid_request_error");
        assertError(
                gateway.post("/v1/chat/completions", "{\"model\":\"chat\",\"messages\":[]}"),
                400,
                "invalid_request_error");
        assertError(
                gateway.post("/v1/chat/completions", "{\"model\":\"chat\",\"messages\":[{\"content\":\"x\"}]}"),
                400,
                "invalid_request_error");
        assertError(
                gateway.post(
                        "/v1/chat/completions",
                        "{\"model\":\"" + "m".repeat(300) + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                400,
                "invalid_request_error");
        HttpResponse<String> unknown = gateway.post(
                "/v1/chat/completions", "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertError(unknown, 404, "invalid_request_error");
        assertThat(json(unknown.body()).at("/error/code").asString()).isEqualTo("model_not_found");
        HttpResponse<String> badHeader = gateway.post(
                "/v1/chat/completions",
                "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "cf-aig-max-attempts",
                "9");
        assertError(badHeader, 400, "invalid_request_error");
        assertThat(json(badHeader.body()).at("/error/param").asString()).isEqualTo("cf-aig-max-attempts");
        assertError(gateway.get("/v1/chat/completions"), 405, "invalid_request_error");
    }

    @Test
    void passesAProviders400ThroughAsTheCallersMistake() {
        HttpResponse<String> r = gateway.post(
                "/v1/chat/completions",
                "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"FAIL400\"}]}");
        assertError(r, 400, "invalid_request_error");
        assertThat(json(r.body()).at("/error/message").asString()).isEqualTo("scripted failure 400");
    }

    @Test
    void listsTheModelsInEitherFormat() {
        JsonNode openai = json(gateway.get("/v1/models").body());
        assertThat(openai.get("object").asString()).isEqualTo("list");
        List<String> ids = new ArrayList<>();
        openai.get("data").forEach(m -> ids.add(m.get("id").asString()));
        assertThat(ids).contains("auto", "chat", "gpt", "claude", "resilient");
        JsonNode anthropic = json(
                gateway.get("/v1/models", "anthropic-version", "2023-06-01").body());
        assertThat(anthropic.at("/data/0/type").asString()).isEqualTo("model");
        assertThat(anthropic.get("has_more").asBoolean()).isFalse();
        assertThat(gateway.get("/v1/models/chat").statusCode()).isEqualTo(200);
        assertError(gateway.get("/v1/models/nope"), 404, "invalid_request_error");
    }

    static void assertError(HttpResponse<String> r, int status, String type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = json(r.body());
        assertThat(body.at("/error/type").asString()).isEqualTo(type);
        assertThat(body.at("/error/message").asString()).isNotBlank();
    }
}
