package ai.auraison.execution.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.testfixtures.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The official SDKs, unchanged, as clients of the gateway over real HTTP: Python {@code openai} and {@code anthropic}
 * from {@code .peers/venv}, TypeScript {@code openai} and {@code @anthropic-ai/sdk} from {@code .peers/gateway-node}.
 * Each runs the same scenarios ({@code tools/peers/gateway/}): plain and streamed answers, usage, tool calls with the
 * SDKs' own stream accumulators, both translation directions, and typed errors.
 */
class GatewaySdkIT {

    final TestGateway gateway = TestGateway.shared();

    @Test
    void pythonSdksWorkUnchangedAgainstTheGateway() throws Exception {
        Path python = Peers.python();
        Path script = Peers.projectRoot().resolve("tools/peers/gateway/sdk_check.py");
        assertScenarios(
                run(List.of(python.toString(), script.toString(), gateway.base().toString()), Map.of()));
    }

    @Test
    void typeScriptSdksWorkUnchangedAgainstTheGateway() throws Exception {
        Path dir = Peers.home().resolve("gateway-node");
        Peers.require(
                dir.resolve("node_modules/openai/package.json"), "the OpenAI TypeScript SDK in .peers/gateway-node");
        Peers.require(
                dir.resolve("node_modules/@anthropic-ai/sdk/package.json"),
                "the Anthropic TypeScript SDK in .peers/gateway-node");
        Path script = Peers.projectRoot().resolve("tools/peers/gateway/sdk-check.mjs");
        assertScenarios(run(
                List.of("node", script.toString(), gateway.base().toString()),
                Map.of("GATEWAY_NODE_DIR", dir.toString())));
    }

    private static Map<String, JsonNode> run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(90, TimeUnit.SECONDS))
                throw new AssertionError("SDK client did not finish: " + command);
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, JsonNode> byScenario = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                if (!line.startsWith("{")) continue;
                JsonNode node = TestGateway.json(line);
                byScenario.put(node.get("scenario").asString(), node);
            }
            assertThat(byScenario).as(output).hasSize(12);
            return byScenario;
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static void assertScenarios(Map<String, JsonNode> s) {
        assertThat(s.get("openai_chat").path("text").asString(""))
                .as(s.get("openai_chat").toString())
                .isEqualTo("Hello from gpt-4o-mini.");
        assertThat(s.get("openai_chat").path("prompt_tokens").asInt()).isEqualTo(12);

        JsonNode streamed = s.get("openai_stream_with_usage");
        assertThat(streamed.path("text").asString("")).as(streamed.toString()).isEqualTo("Hello from gpt-4o-mini.");
        assertThat(streamed.path("completion_tokens").asInt()).isEqualTo(5);

        for (String name :
                List.of("openai_stream_tool_call", "openai_served_by_anthropic", "openai_stream_served_by_anthropic")) {
            JsonNode call = s.get(name);
            assertThat(call.path("name").asString("")).as(name + " " + call).isEqualTo("get_weather");
            assertThat(call.at("/arguments/city").asString("")).as(name).isEqualTo("Paris");
        }
        assertThat(s.get("openai_stream_tool_call").path("finish_reason").asString(""))
                .isEqualTo("tool_calls");
        assertThat(s.get("openai_served_by_anthropic").path("finish_reason").asString(""))
                .isEqualTo("tool_calls");

        assertThat(s.get("openai_unknown_model").path("status").asInt())
                .as(s.get("openai_unknown_model").toString())
                .isEqualTo(404);
        assertThat(s.get("openai_unknown_model").path("error").asString("")).isEqualTo("NotFoundError");
        assertThat(s.get("openai_rate_limited").path("status").asInt())
                .as(s.get("openai_rate_limited").toString())
                .isEqualTo(429);
        assertThat(s.get("openai_rate_limited").path("error").asString("")).isEqualTo("RateLimitError");

        JsonNode message = s.get("anthropic_message");
        assertThat(message.path("text").asString("")).as(message.toString()).isEqualTo("Hello from claude-sonnet-4-6.");
        assertThat(message.path("input_tokens").asInt()).isEqualTo(12);
        assertThat(message.path("stop_reason").asString("")).isEqualTo("end_turn");

        for (String name : List.of("anthropic_stream_tool_use", "anthropic_stream_served_by_openai")) {
            JsonNode use = s.get(name);
            assertThat(use.path("type").asString("")).as(name + " " + use).isEqualTo("tool_use");
            assertThat(use.path("name").asString("")).isEqualTo("get_weather");
            assertThat(use.at("/input/city").asString("")).isEqualTo("Paris");
            assertThat(use.path("stop_reason").asString("")).isEqualTo("tool_use");
            assertThat(use.path("output_tokens").asInt()).isEqualTo(20);
        }
        JsonNode text = s.get("anthropic_text_stream_served_by_openai");
        assertThat(text.path("text").asString("")).as(text.toString()).isEqualTo("Hello from gpt-4o-mini.");
        assertThat(s.get("anthropic_unknown_model").path("status").asInt())
                .as(s.get("anthropic_unknown_model").toString())
                .isEqualTo(404);
        assertThat(s.get("anthropic_unknown_model").path("error").asString("")).isEqualTo("NotFoundError");
    }
}
