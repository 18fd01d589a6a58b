package ai.auraison.edge.internal.demo;

import ai.auraison.contract.ContractJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * THE OFFLINE DEMO MODEL — not a language model. An OpenAI-compatible endpoint ({@code /demo-model/v1}) whose
 * answers come from a deterministic maze-solving strategy ({@link MazeStrategy}), so that the main job shows a whole
 * run without any model provider. On only when {@code auraison.edge.demo-model.enabled=true}; every answer says what
 * it is.
 */
@RestController
@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(
        name = "auraison.edge.demo-model.enabled",
        havingValue = "true")
@RequestMapping("/demo-model/v1")
@Tag(name = "demo-model", description = "The labelled offline demo model (deterministic, OpenAI-compatible)")
public class DemoModelController {

    /** The model id it answers as. */
    public static final String MODEL = "auraison-offline-demo";

    @GetMapping("/models")
    @Operation(summary = "The demo model, as an OpenAI model list")
    Map<String, Object> models() {
        return Map.of(
                "object", "list", "data", List.of(Map.of("id", MODEL, "object", "model", "owned_by", "auraison-demo")));
    }

    @PostMapping(path = "/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Chat completions from the deterministic demo strategy (streaming and not)")
    void complete(@RequestBody JsonNode request, HttpServletResponse response) throws IOException {
        MazeStrategy.Step step = MazeStrategy.next(request.path("messages"), request.path("tools"));
        String id = "chatcmpl-demo-" + UUID.randomUUID().toString().substring(0, 12);
        long created = System.currentTimeMillis() / 1000;
        boolean stream = request.path("stream").asBoolean(false);
        String callId = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (!stream) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", "assistant");
            String finish;
            if (step instanceof MazeStrategy.CallTool t) {
                message.put("content", null);
                message.put(
                        "tool_calls",
                        List.of(Map.of(
                                "id",
                                callId,
                                "type",
                                "function",
                                "function",
                                Map.of("name", t.name(), "arguments", ContractJson.write(t.arguments())))));
                finish = "tool_calls";
            } else {
                message.put("content", ((MazeStrategy.Answer) step).text());
                finish = "stop";
            }
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getOutputStream()
                    .write(ContractJson.writeBytes(Map.of(
                            "id",
                            id,
                            "object",
                            "chat.completion",
                            "created",
                            created,
                            "model",
                            MODEL,
                            "choices",
                            List.of(Map.of("index", 0, "message", message, "finish_reason", finish)),
                            "usage",
                            usage())));
            return;
        }
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        response.setHeader("Cache-Control", "no-cache");
        OutputStream out = response.getOutputStream();
        chunk(out, id, created, Map.of("role", "assistant", "content", ""), null);
        if (step instanceof MazeStrategy.CallTool t) {
            Map<String, Object> first = new LinkedHashMap<>();
            first.put("index", 0);
            first.put("id", callId);
            first.put("type", "function");
            first.put("function", Map.of("name", t.name(), "arguments", ""));
            chunk(out, id, created, Map.of("tool_calls", List.of(first)), null);
            chunk(
                    out,
                    id,
                    created,
                    Map.of(
                            "tool_calls",
                            List.of(Map.of(
                                    "index", 0, "function", Map.of("arguments", ContractJson.write(t.arguments()))))),
                    null);
            chunk(out, id, created, Map.of(), "tool_calls");
        } else {
            chunk(out, id, created, Map.of("content", ((MazeStrategy.Answer) step).text()), null);
            chunk(out, id, created, Map.of(), "stop");
        }
        line(
                out,
                ContractJson.write(Map.of(
                        "id",
                        id,
                        "object",
                        "chat.completion.chunk",
                        "created",
                        0,
                        "model",
                        MODEL,
                        "choices",
                        List.of(),
                        "usage",
                        usage())));
        line(out, "[DONE]");
        out.flush();
    }

    private static Map<String, Object> usage() {
        return Map.of("prompt_tokens", 0, "completion_tokens", 0, "total_tokens", 0);
    }

    private static void chunk(OutputStream out, String id, long created, Map<String, Object> delta, String finish)
            throws IOException {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finish);
        line(
                out,
                ContractJson.write(Map.of(
                        "id",
                        id,
                        "object",
                        "chat.completion.chunk",
                        "created",
                        created,
                        "model",
                        MODEL,
                        "choices",
                        List.of(choice))));
    }

    private static void line(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
