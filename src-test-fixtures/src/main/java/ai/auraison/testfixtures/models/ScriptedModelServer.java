package ai.auraison.testfixtures.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scripted model provider on loopback that speaks both OpenAI Chat Completions ({@code …/chat/completions}) and
 * Anthropic Messages ({@code …/messages}), streaming exactly the reference frames, so gateway tests and benchmarks
 * run without a vendor. Any path prefix works, so it also stands in for Cloudflare AI Gateway's per-provider URLs
 * ({@code /v1/<account>/<gateway>/openai/chat/completions}, {@code …/anthropic/v1/messages},
 * {@code …/compat/chat/completions}).
 *
 * <p>Script: the answer is {@code Hello from <model>.}; when the request offers tools and the last message is not a
 * tool result, it calls the first tool with {@code {"city":"Paris"}}; after a tool result it answers
 * {@code Tool said: <result>}. Usage is 12 tokens in and 5 (text) or 20 (tool call) out. Faults ({@link Fault}) are
 * queued per model with {@link #script} or picked by a marker word in the last user message.
 *
 * <p>Thread-safe; each request runs on its own virtual thread. Start with {@link #start()}, stop with
 * {@link #close()}.
 */
public final class ScriptedModelServer implements AutoCloseable {

    static {
        // the JDK server leaves Nagle on by default, which adds delayed-ACK stalls to small responses
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Usage the script reports: prompt tokens. */
    public static final int TOKENS_IN = 12;
    /** Usage the script reports for a text answer. */
    public static final int TOKENS_OUT_TEXT = 5;
    /** Usage the script reports for a tool call. */
    public static final int TOKENS_OUT_TOOL = 20;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CREATED = "1700000000";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Queue<Fault>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<RecordedRequest> recorded = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger disconnects = new AtomicInteger();
    private volatile boolean recording = true;
    private volatile boolean stopped;

    private ScriptedModelServer(HttpServer server) {
        this.server = server;
    }

    /** Starts a server on a free loopback port. */
    public static ScriptedModelServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            ScriptedModelServer scripted = new ScriptedModelServer(http);
            http.createContext("/", scripted::handle);
            http.setExecutor(scripted.executor);
            http.start();
            return scripted;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the scripted model server", e);
        }
    }

    /** The base URL, {@code http://127.0.0.1:<port>}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Queues {@code faults} for the next requests to {@code model}, one per request, ahead of any marker. */
    public ScriptedModelServer script(String model, Fault... faults) {
        scripts.computeIfAbsent(model, m -> new ConcurrentLinkedQueue<>()).addAll(List.of(faults));
        return this;
    }

    /** How many requests named {@code model}. */
    public int requestCount(String model) {
        AtomicInteger n = counts.get(model);
        return n == null ? 0 : n.get();
    }

    /** The requests received so far, oldest first (empty when recording is off). */
    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** The last request received for {@code model}. */
    public RecordedRequest lastRequest(String model) {
        List<RecordedRequest> all = requests();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).model().equals(model)) return all.get(i);
        }
        throw new AssertionError("no request for model " + model);
    }

    /** Turns request recording on or off (off for load tests). */
    public ScriptedModelServer recording(boolean on) {
        this.recording = on;
        return this;
    }

    /** How many streams were cut short because the client went away. */
    public int clientDisconnects() {
        return disconnects.get();
    }

    /** Forgets scripts, counts and recorded requests. */
    public void reset() {
        scripts.clear();
        counts.clear();
        recorded.clear();
        disconnects.set(0);
    }

    @Override
    public void close() {
        stopped = true;
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------------------------

    private enum Api {
        OPENAI,
        ANTHROPIC
    }

    private record Reply(String text, String toolName, String toolId, String toolArguments) {
        boolean isTool() {
            return toolName != null;
        }

        int tokensOut() {
            return isTool() ? TOKENS_OUT_TOOL : TOKENS_OUT_TEXT;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] bytes;
            try (InputStream in = exchange.getRequestBody()) {
                bytes = in.readAllBytes();
            }
            if (path.endsWith("/models") && "GET".equals(exchange.getRequestMethod())) {
                send(
                        exchange,
                        200,
                        "{\"object\":\"list\",\"data\":[{\"id\":\"scripted\",\"object\":\"model\",\"created\":0,"
                                + "\"owned_by\":\"scripted\"}]}");
                return;
            }
            Api api =
                    path.endsWith("/chat/completions") ? Api.OPENAI : path.endsWith("/messages") ? Api.ANTHROPIC : null;
            if (api == null || !"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 404, "{\"error\":{\"message\":\"no route " + path + "\",\"type\":\"not_found\"}}");
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(bytes);
            } catch (RuntimeException e) {
                send(exchange, 400, error(api, 400, "body is not JSON"));
                return;
            }
            String model = body.path("model").asString("");
            counts.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
            if (recording) {
                Map<String, List<String>> headers = new java.util.TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
                recorded.add(new RecordedRequest(path, headers, body));
            }
            Fault fault = nextFault(model, lastUserText(api, body));
            boolean stream = body.path("stream").asBoolean(false);
            answer(exchange, api, body, model, stream, fault);
        } catch (IOException e) {
            disconnects.incrementAndGet();
        }
    }

    private Fault nextFault(String model, String text) {
        Queue<Fault> queue = scripts.get(model);
        Fault scripted = queue == null ? null : queue.poll();
        if (scripted != null) return scripted;
        if (text.contains("FAIL500")) return new Fault.Status(500);
        if (text.contains("FAIL400")) return new Fault.Status(400);
        if (text.contains("FAIL429")) return new Fault.RateLimited(1);
        if (text.contains("SLOW_HEADERS")) return new Fault.SlowHeaders(Duration.ofSeconds(5));
        if (text.contains("SLOW_STREAM")) return new Fault.SlowStream(20, Duration.ofMillis(100));
        if (text.contains("BREAK_STREAM")) return new Fault.BrokenStream();
        if (text.contains("HANG_STREAM")) return new Fault.HangingStream(Duration.ofSeconds(30));
        return new Fault.None();
    }

    private void answer(HttpExchange exchange, Api api, JsonNode body, String model, boolean stream, Fault fault)
            throws IOException {
        switch (fault) {
            case Fault.Status s -> {
                send(exchange, s.status(), error(api, s.status(), "scripted failure " + s.status()));
                return;
            }
            case Fault.RateLimited r -> {
                exchange.getResponseHeaders().set("retry-after", Integer.toString(r.retryAfterSeconds()));
                send(exchange, 429, error(api, 429, "scripted rate limit"));
                return;
            }
            case Fault.SlowHeaders h -> pause(h.delay());
            default -> {}
        }
        Reply reply = replyFor(api, body, model);
        if (!stream) {
            if (fault instanceof Fault.SlowStream slow) pause(slow.gap().multipliedBy(slow.chunks()));
            send(exchange, 200, api == Api.OPENAI ? openAiMessage(model, reply) : anthropicMessage(model, reply));
            return;
        }
        List<String> frames = api == Api.OPENAI
                ? openAiFrames(
                        model,
                        reply,
                        body.path("stream_options").path("include_usage").asBoolean(false),
                        fault)
                : anthropicFrames(model, reply, fault);
        exchange.getResponseHeaders().set("content-type", "text/event-stream");
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        OutputStream out = exchange.getResponseBody();
        switch (fault) {
            case Fault.BrokenStream b -> {
                byte[] first = String.join("", frames.subList(0, 2)).getBytes(StandardCharsets.UTF_8);
                // promise more bytes than are sent, then close: the client sees the connection end mid-stream
                exchange.sendResponseHeaders(200, first.length + 4096L);
                out.write(first);
                out.flush();
                return;
            }
            case Fault.HangingStream h -> {
                exchange.sendResponseHeaders(200, 0);
                writeFrame(out, frames.get(0));
                writeFrame(out, frames.get(1));
                long until = System.nanoTime() + h.hold().toNanos();
                while (!stopped && System.nanoTime() < until) pause(Duration.ofMillis(50));
                for (String frame : frames.subList(2, frames.size())) writeFrame(out, frame);
                return;
            }
            case Fault.SlowStream slow -> {
                exchange.sendResponseHeaders(200, 0);
                for (String frame : frames) {
                    writeFrame(out, frame);
                    if (frame.contains("tick ")) pause(slow.gap());
                }
                return;
            }
            default -> {
                exchange.sendResponseHeaders(200, 0);
                StringBuilder all = new StringBuilder();
                for (String frame : frames) all.append(frame);
                out.write(all.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private static void writeFrame(OutputStream out, String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.getResponseHeaders().set("x-request-id", "req_scripted");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String error(Api api, int status, String message) {
        if (api == Api.OPENAI) {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error")
                    .put("message", message)
                    .put(
                            "type",
                            status == 429
                                    ? "rate_limit_error"
                                    : status >= 500 ? "server_error" : "invalid_request_error")
                    .putNull("param")
                    .putNull("code");
            return error.toString();
        }
        ObjectNode error = JSON.createObjectNode().put("type", "error");
        error.putObject("error")
                .put("type", status == 429 ? "rate_limit_error" : status >= 500 ? "api_error" : "invalid_request_error")
                .put("message", message);
        return error.toString();
    }

    // --- the script --------------------------------------------------------------------------------------------

    private static String lastUserText(Api api, JsonNode body) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if ("user".equals(m.path("role").asString(""))) return textOf(m.path("content"));
        }
        return "";
    }

    private static String textOf(JsonNode content) {
        if (content.isString()) return content.stringValue();
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isString()) text.append(part.path("text").stringValue());
            if (part.path("content").isString())
                text.append(part.path("content").stringValue());
            if (part.path("content").isArray()) text.append(textOf(part.path("content")));
        }
        return text.toString();
    }

    private static Reply replyFor(Api api, JsonNode body, String model) {
        JsonNode messages = body.path("messages");
        JsonNode last = messages.isArray() && !messages.isEmpty() ? messages.get(messages.size() - 1) : null;
        String toolResult = null;
        if (last != null && api == Api.OPENAI && "tool".equals(last.path("role").asString(""))) {
            toolResult = textOf(last.path("content"));
        }
        if (last != null && api == Api.ANTHROPIC && last.path("content").isArray()) {
            for (JsonNode block : last.path("content")) {
                if ("tool_result".equals(block.path("type").asString(""))) {
                    toolResult = block.path("content").isString()
                            ? block.path("content").stringValue()
                            : textOf(block.path("content"));
                }
            }
        }
        if (toolResult != null) return new Reply("Tool said: " + toolResult, null, null, null);
        JsonNode tools = body.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            JsonNode tool = tools.get(0);
            String name = api == Api.OPENAI
                    ? tool.path("function").path("name").asString("tool")
                    : tool.path("name").asString("tool");
            return new Reply(null, name, api == Api.OPENAI ? "call_1" : "toolu_1", "{\"city\":\"Paris\"}");
        }
        return new Reply("Hello from " + model + ".", null, null, null);
    }

    private static String openAiMessage(String model, Reply reply) {
        ObjectNode root = JSON.createObjectNode()
                .put("id", "chatcmpl-1")
                .put("object", "chat.completion")
                .put("created", 1700000000L)
                .put("model", model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (reply.isTool()) {
            message.putNull("content");
            ObjectNode call = message.putArray("tool_calls")
                    .addObject()
                    .put("id", reply.toolId())
                    .put("type", "function");
            call.putObject("function").put("name", reply.toolName()).put("arguments", reply.toolArguments());
            choice.put("finish_reason", "tool_calls");
        } else {
            message.put("content", reply.text());
            choice.put("finish_reason", "stop");
        }
        root.putObject("usage")
                .put("prompt_tokens", TOKENS_IN)
                .put("completion_tokens", reply.tokensOut())
                .put("total_tokens", TOKENS_IN + reply.tokensOut());
        return root.toString();
    }

    private static String anthropicMessage(String model, Reply reply) {
        ObjectNode root = JSON.createObjectNode()
                .put("id", "msg_1")
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        ArrayNode content = root.putArray("content");
        if (reply.isTool()) {
            ObjectNode use = content.addObject()
                    .put("type", "tool_use")
                    .put("id", reply.toolId())
                    .put("name", reply.toolName());
            use.set("input", JSON.readTree(reply.toolArguments()));
            root.put("stop_reason", "tool_use");
        } else {
            content.addObject().put("type", "text").put("text", reply.text());
            root.put("stop_reason", "end_turn");
        }
        root.putNull("stop_sequence");
        root.putObject("usage")
                .put("input_tokens", TOKENS_IN)
                .put("output_tokens", reply.tokensOut())
                .put("cache_read_input_tokens", 0)
                .put("cache_creation_input_tokens", 0);
        return root.toString();
    }

    private static List<String> textPieces(Reply reply, Fault fault) {
        if (fault instanceof Fault.SlowStream slow) {
            List<String> ticks = new ArrayList<>();
            for (int i = 0; i < slow.chunks(); i++) ticks.add("tick " + i + " ");
            return ticks;
        }
        String text = reply.text();
        int cut = text.indexOf(' ') + 1;
        return cut > 0 ? List.of(text.substring(0, cut), text.substring(cut)) : List.of(text);
    }

    private static List<String> openAiFrames(String model, Reply reply, boolean includeUsage, Fault fault) {
        String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
                + ",\"model\":" + quote(model) + ",\"choices\":";
        List<String> frames = new ArrayList<>();
        frames.add(data(
                head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"));
        if (reply.isTool()) {
            frames.add(
                    data(head + "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":" + quote(reply.toolId())
                            + ",\"type\":\"function\",\"function\":{\"name\":" + quote(reply.toolName())
                            + ",\"arguments\":\"\"}}]},\"finish_reason\":null}]}"));
            String args = reply.toolArguments();
            int half = args.length() / 2;
            for (String piece : List.of(args.substring(0, half), args.substring(half))) {
                frames.add(
                        data(head + "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                                + quote(piece) + "}}]},\"finish_reason\":null}]}"));
            }
            frames.add(data(head + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"));
        } else {
            for (String piece : textPieces(reply, fault)) {
                frames.add(data(
                        head + "[{\"index\":0,\"delta\":{\"content\":" + quote(piece) + "},\"finish_reason\":null}]}"));
            }
            frames.add(data(head + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"));
        }
        if (includeUsage) {
            frames.add(data(head + "[],\"usage\":{\"prompt_tokens\":" + TOKENS_IN + ",\"completion_tokens\":"
                    + reply.tokensOut() + ",\"total_tokens\":" + (TOKENS_IN + reply.tokensOut()) + "}}"));
        }
        frames.add("data: [DONE]\n\n");
        return frames;
    }

    private static List<String> anthropicFrames(String model, Reply reply, Fault fault) {
        List<String> frames = new ArrayList<>();
        frames.add(event(
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":" + quote(model) + ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":" + TOKENS_IN + ",\"output_tokens\":1,"
                        + "\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0}}}"));
        if (reply.isTool()) {
            frames.add(event(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":"
                            + quote(reply.toolId()) + ",\"name\":" + quote(reply.toolName()) + ",\"input\":{}}}"));
            frames.add(event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                            + "\"partial_json\":" + quote(reply.toolArguments()) + "}}"));
        } else {
            frames.add(
                    event(
                            "content_block_start",
                            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
            for (String piece : textPieces(reply, fault)) {
                frames.add(event(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
                                + quote(piece) + "}}"));
            }
        }
        frames.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        frames.add(event(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + (reply.isTool() ? "tool_use" : "end_turn")
                        + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + reply.tokensOut() + "}}"));
        frames.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return frames;
    }

    private static String data(String json) {
        return "data: " + json + "\n\n";
    }

    private static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    private static String quote(String s) {
        return JSON.getNodeFactory().stringNode(s).toString();
    }
}
