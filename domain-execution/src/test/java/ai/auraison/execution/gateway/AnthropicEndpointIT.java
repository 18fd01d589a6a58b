package ai.auraison.execution.gateway;

import static ai.auraison.execution.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Anthropic-compatible endpoint over real HTTP, against the scripted upstream. */
class AnthropicEndpointIT {

    final TestGateway gateway = TestGateway.shared();

    record Event(String type, JsonNode data) {}

    static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            String type = null;
            String data = null;
            for (String line : frame.split("\n")) {
                if (line.startsWith("event: ")) type = line.substring(7);
                if (line.startsWith("data: ")) data = line.substring(6);
            }
            if (type != null && data != null) events.add(new Event(type, json(data)));
        }
        return events;
    }

    static String ask(String model, boolean stream, boolean tools) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":256,\"stream\":" + stream
                + ",\"system\":[{\"type\":\"text\",\"text\":\"be brief\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"weather in Paris?\"}]}]"
                + (tools
                        ? ",\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather\",\"input_schema\":{\"type\":\"object\","
                                + "\"properties\":{\"city\":{\"type\":\"string\"}}}}]"
                        : "")
                + "}";
    }

    @Test
    void servesAMessageAndPassesTheVersionHeaderOn() {
        HttpResponse<String> r = gateway.post(
                "/v1/messages", ask("claude", false, false), "anthropic-version", "2026-10-21", "x-api-key", "sk-acme");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r.body());
        assertThat(body.get("type").asString()).isEqualTo("message");
        assertThat(body.at("/content/0/text").asString()).isEqualTo("Hello from claude-sonnet-4-6.");
        var sent = gateway.upstream.lastRequest("claude-sonnet-4-6");
        assertThat(sent.header("anthropic-version")).isEqualTo("2026-10-21");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-upstream-anthropic");
        ModelCallRecord record = gateway.record(r);
        assertThat(record.api()).isEqualTo("anthropic");
        assertThat(record.tenant().value()).isEqualTo("acme");
        assertThat(record.keyId()).isEqualTo("acme-1");
        assertThat(record.tokensIn()).isEqualTo(12);
    }

    @Test
    void passesAnAnthropicStreamThroughByteForByte() {
        HttpResponse<String> r = gateway.post("/v1/messages", ask("claude", true, true));
        assertThat(r.statusCode()).isEqualTo(200);
        List<Event> events = events(r.body());
        assertThat(events)
                .extracting(Event::type)
                .containsExactly(
                        "message_start",
                        "content_block_start",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop");
        assertThat(events.get(1).data().at("/content_block/name").asString()).isEqualTo("get_weather");
        assertThat(r.body()).contains("\"partial_json\":\"{\\\"city\\\":\\\"Paris\\\"}\"");
        ModelCallRecord record = gateway.record(r);
        assertThat(record.tokensIn()).isEqualTo(12);
        assertThat(record.tokensOut()).isEqualTo(20);
    }

    @Test
    void servesAnAnthropicRequestFromAnOpenAiProviderWithToolUse() {
        HttpResponse<String> r = gateway.post("/v1/messages", ask("gpt", false, true));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r.body());
        assertThat(body.get("stop_reason").asString()).isEqualTo("tool_use");
        assertThat(body.at("/content/0/type").asString()).isEqualTo("tool_use");
        assertThat(body.at("/content/0/input/city").asString()).isEqualTo("Paris");
        JsonNode sent = gateway.upstream.lastRequest("gpt-4o-mini").body();
        assertThat(sent.at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(sent.at("/tools/0/function/name").asString()).isEqualTo("get_weather");
    }

    @Test
    void streamsAnOpenAiProviderAsAnthropicEventsWithToolUse() {
        HttpResponse<String> r = gateway.post("/v1/messages", ask("gpt", true, true));
        List<Event> events = events(r.body());
        assertThat(events.get(0).type()).isEqualTo("message_start");
        assertThat(events).last().extracting(Event::type).isEqualTo("message_stop");
        StringBuilder json = new StringBuilder();
        for (Event e : events) {
            if (e.type().equals("content_block_delta"))
                json.append(e.data().at("/delta/partial_json").asString(""));
        }
        assertThat(json.toString()).isEqualTo("{\"city\":\"Paris\"}");
        Event delta = events.get(events.size() - 2);
        assertThat(delta.data().at("/delta/stop_reason").asString()).isEqualTo("tool_use");
        assertThat(delta.data().at("/usage/output_tokens").asInt()).isEqualTo(20);
        assertThat(delta.data().at("/usage/input_tokens").asInt()).isEqualTo(12);
    }

    @Test
    void feedsToolResultsBackAcrossFormats() {
        String followUp = "{\"model\":\"gpt\",\"max_tokens\":64,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_9\",\"content\":\"sunny\"}]}]}";
        HttpResponse<String> r = gateway.post("/v1/messages", followUp);
        assertThat(json(r.body()).at("/content/0/text").asString()).isEqualTo("Tool said: sunny");
        JsonNode sent = gateway.upstream.lastRequest("gpt-4o-mini").body();
        assertThat(sent.at("/messages/1/tool_calls/0/function/arguments").asString())
                .isEqualTo("{\"city\":\"Paris\"}");
        assertThat(sent.at("/messages/2/role").asString()).isEqualTo("tool");
        assertThat(sent.at("/messages/2/tool_call_id").asString()).isEqualTo("toolu_9");
    }

    @Test
    void answersBadInputWithAnthropicErrors() {
        assertError(
                gateway.post(
                        "/v1/messages", "{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                400,
                "invalid_request_error");
        assertError(
                gateway.post(
                        "/v1/messages",
                        "{\"model\":\"claude\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}"),
                400,
                "invalid_request_error");
        assertError(gateway.post("/v1/messages", "not json"), 400, "invalid_request_error");
        assertError(
                gateway.post(
                        "/v1/messages",
                        "{\"model\":\"nope\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                404,
                "not_found_error");
        assertError(gateway.get("/v1/messages"), 405, "invalid_request_error");
    }

    static void assertError(HttpResponse<String> r, int status, String type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r.body());
        assertThat(body.get("type").asString()).isEqualTo("error");
        assertThat(body.at("/error/type").asString()).isEqualTo(type);
        assertThat(body.at("/error/message").asString()).isNotBlank();
    }
}
