package ai.auraison.execution.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class TranslationTest {

    static ObjectNode json(String s) {
        return (ObjectNode) GatewayJson.MAPPER.readTree(s);
    }

    @Test
    void turnsAnOpenAiConversationWithToolsIntoAnthropicMessages() {
        ObjectNode openai = json(
                "{\"model\":\"x\",\"max_completion_tokens\":99,\"stop\":\"END\",\"temperature\":1.5,"
                        + "\"messages\":[{\"role\":\"system\",\"content\":\"sys\"},{\"role\":\"developer\",\"content\":\"dev\"},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"look\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]},"
                        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"a\",\"arguments\":\"{\\\"k\\\":1}\"}},"
                        + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"b\",\"arguments\":\"{}\"}}]},"
                        + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"r1\"},{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"r2\"},"
                        + "{\"role\":\"user\",\"content\":\"and?\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\",\"description\":\"A\",\"parameters\":{\"type\":\"object\"}}}],"
                        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"a\"}},\"parallel_tool_calls\":false}");
        JsonNode a = Translation.anthropicRequest(openai, "claude-x");
        assertThat(a.get("model").asString()).isEqualTo("claude-x");
        assertThat(a.get("max_tokens").asInt()).isEqualTo(99);
        assertThat(a.get("system").asString()).isEqualTo("sys\n\ndev");
        assertThat(a.at("/stop_sequences/0").asString()).isEqualTo("END");
        assertThat(a.get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(a.at("/messages/0/content/1/source/media_type").asString()).isEqualTo("image/png");
        assertThat(a.at("/messages/0/content/1/source/data").asString()).isEqualTo("AAAA");
        assertThat(a.at("/messages/1/content/0/type").asString()).isEqualTo("tool_use");
        assertThat(a.at("/messages/1/content/0/input/k").asInt()).isEqualTo(1);
        assertThat(a.at("/messages/1/content/1/name").asString()).isEqualTo("b");
        // both tool results and the following user text form one user turn, results first
        assertThat(a.get("messages").size()).isEqualTo(3);
        assertThat(a.at("/messages/2/content/0/tool_use_id").asString()).isEqualTo("c1");
        assertThat(a.at("/messages/2/content/1/tool_use_id").asString()).isEqualTo("c2");
        assertThat(a.at("/messages/2/content/2/text").asString()).isEqualTo("and?");
        assertThat(a.at("/tools/0/input_schema/type").asString()).isEqualTo("object");
        assertThat(a.at("/tool_choice/type").asString()).isEqualTo("tool");
        assertThat(a.at("/tool_choice/name").asString()).isEqualTo("a");
        assertThat(a.at("/tool_choice/disable_parallel_tool_use").asBoolean()).isTrue();
    }

    @Test
    void turnsAnAnthropicConversationWithToolsIntoOpenAiMessages() {
        ObjectNode anthropic = json(
                "{\"model\":\"x\",\"max_tokens\":50,\"stream\":true,"
                        + "\"system\":[{\"type\":\"text\",\"text\":\"sys\"}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"let me\"},{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"a\",\"input\":{\"k\":2}}]},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]},"
                        + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/jpeg\",\"data\":\"BBBB\"}}]}],"
                        + "\"tools\":[{\"name\":\"a\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"any\"}}");
        JsonNode o = Translation.openAiRequest(anthropic, "gpt-x");
        assertThat(o.at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(o.at("/messages/0/content").asString()).isEqualTo("sys");
        assertThat(o.at("/messages/2/content").asString()).isEqualTo("let me");
        assertThat(o.at("/messages/2/tool_calls/0/function/arguments").asString())
                .isEqualTo("{\"k\":2}");
        assertThat(o.at("/messages/3/role").asString()).isEqualTo("tool");
        assertThat(o.at("/messages/3/content").asString()).isEqualTo("ok");
        assertThat(o.at("/messages/4/content/0/image_url/url").asString()).isEqualTo("data:image/jpeg;base64,BBBB");
        assertThat(o.get("tool_choice").asString()).isEqualTo("required");
        assertThat(o.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(o.get("max_tokens").asInt()).isEqualTo(50);
    }

    @Test
    void translatesWholeAnswersWithUsageAndStopReasons() {
        JsonNode message = json("{\"id\":\"msg_1\",\"model\":\"c\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                + "{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":{\"x\":1}}],\"stop_reason\":\"tool_use\","
                + "\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":5,\"output_tokens\":3}}");
        JsonNode completion = Translation.openAiCompletion(message);
        assertThat(completion.at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(completion.at("/choices/0/message/content").asString()).isEqualTo("a");
        assertThat(completion.at("/usage/prompt_tokens").asInt()).isEqualTo(15);
        assertThat(completion.at("/usage/total_tokens").asInt()).isEqualTo(18);

        JsonNode back = Translation.anthropicMessage(completion);
        assertThat(back.get("stop_reason").asString()).isEqualTo("tool_use");
        assertThat(back.at("/content/1/input/x").asInt()).isEqualTo(1);
        assertThat(back.at("/usage/output_tokens").asInt()).isEqualTo(3);
        assertThat(Translation.anthropicStopReason("length")).isEqualTo("max_tokens");
        assertThat(Translation.openAiFinishReason("end_turn")).isEqualTo("stop");
    }

    @Test
    void keepsToolArgumentsThatAreNotAnObject() {
        assertThat(Translation.parseObject("not json").get("_raw").asString()).isEqualTo("not json");
        assertThat(Translation.parseObject("").isObject()).isTrue();
    }
}
