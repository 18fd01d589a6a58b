package ai.auraison.zenoh;

import ai.auraison.testfixtures.Peers;
import ai.auraison.zenoh.internal.Json5;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * The eclipse-zenoh Python session of {@code tools/peers/zenoh/peer.py}, driven by JSON commands; its events are
 * collected for assertions. Killed by {@link #close()}.
 */
final class PythonPeer implements AutoCloseable {

    private final Process process;
    private final Writer in;
    private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();

    private PythonPeer(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofVirtual().start(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("{")) events.add(parse(line));
                    else System.err.println("[python peer] " + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String line) {
        return (Map<String, Object>) Json5.parse(line);
    }

    static PythonPeer connect(ZenohRouter router) {
        try {
            Process process = new ProcessBuilder(
                            Peers.python().toString(),
                            ZenohRouter.script("peer.py").toString(),
                            "--connect",
                            router.endpoint())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            PythonPeer peer = new PythonPeer(process);
            peer.await("ready", e -> true, Duration.ofSeconds(20));
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns once the router has processed everything this Python session sent (see ZenohRouter#awaitRouted). */
    void sync() {
        run("sync");
    }

    /** Sends {@code op} with alternating key/value {@code fields} and waits until the peer carried it out. */
    void run(String op, Object... fields) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("op", op);
        for (int i = 0; i < fields.length; i += 2) command.put((String) fields[i], fields[i + 1]);
        int n = seq.incrementAndGet();
        command.put("seq", n);
        try {
            in.write(toJson(command) + "\n");
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("done", e -> ((Number) e.get("seq")).intValue() == n, Duration.ofSeconds(30));
        List<Map<String, Object>> errors = events("error");
        if (!errors.isEmpty()) throw new AssertionError("the Python peer failed: " + errors);
    }

    private static String toJson(Map<String, Object> map) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (json.length() > 1) json.append(',');
            json.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v == null) json.append("null");
            else if (v instanceof Number || v instanceof Boolean) json.append(v);
            else
                json.append('"')
                        .append(v.toString().replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
        }
        return json.append('}').toString();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(Object hex) {
        return new String(HexFormat.of().parseHex((String) hex), StandardCharsets.UTF_8);
    }

    List<Map<String, Object>> events(String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : events) if (type.equals(e.get("event"))) out.add(e);
        return out;
    }

    List<Map<String, Object>> events(String type, Predicate<Map<String, Object>> filter) {
        return events(type).stream().filter(filter).toList();
    }

    Map<String, Object> await(String type, Predicate<Map<String, Object>> filter, Duration timeout) {
        Awaitility.await("python peer event " + type)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> !events(type, filter).isEmpty());
        return events(type, filter).get(0);
    }

    /**
     * The keys a Python liveliness get on {@code keyExpr} lists, repeating the get until {@code expected} is among
     * them (at most {@code timeout}). With eclipse-zenoh 1.10.2 about one get in a hundred, issued right after a Java
     * client's token reached a liveliness subscriber, came back without it while the next get listed it (the Java
     * client received no interest in between; not seen in 300 tries with a Python client's token). So one immediate
     * get is not a reliable witness; a repeated one is, and a token that never appears still fails the test.
     */
    List<Object> livelinessGetUntil(String keyExpr, String expected, Duration timeout) {
        List<List<Object>> last = new ArrayList<>();
        Awaitility.await("a liveliness get listing " + expected)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    String id = "lget-" + seq.get();
                    run("lget", "id", id, "key", keyExpr);
                    await("lget_done", e -> id.equals(e.get("get")), timeout);
                    List<Object> keys = events("alive", e -> id.equals(e.get("get"))).stream()
                            .map(e -> e.get("key"))
                            .toList();
                    last.add(keys);
                    return keys.contains(expected);
                });
        return last.get(last.size() - 1);
    }

    void clear() {
        events.clear();
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // killing it anyway
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
