package ai.auraison.zenoh;

import ai.auraison.zenoh.internal.Endpoint;
import ai.auraison.zenoh.internal.Json5;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a session, read from Zenoh's JSON5 configuration format. Keys this client understands (all
 * optional; others are ignored, as Zenoh ignores what a build does not use):
 *
 * <pre>
 * {
 *   mode: "client",                               // "client" or "peer" (peer connects to a router as a peer)
 *   id: "a1b2c3",                                 // this session's Zenoh id in hexadecimal; random when absent
 *   connect: {
 *     endpoints: ["tcp/127.0.0.1:7447"],          // tried in order; default tcp/localhost:7447
 *     timeout_ms: 10000,                          // how long Zenoh.open tries before failing (-1: forever)
 *     retry: { period_init_ms: 200, period_max_ms: 4000, period_increase_factor: 2 },  // reconnection backoff
 *   },
 *   listen: { endpoints: [] },                    // must stay empty: this client does not accept connections
 *   queries_default_timeout: 10000,               // ms, for get without an explicit timeout
 *   transport: {
 *     unicast: { open_timeout: 10000, qos: { enabled: true } },
 *     link: { tx: { lease: 10000, keep_alive: 4 }, rx: { max_message_size: 134217728 } },
 *   },
 * }
 * </pre>
 *
 * <p>Immutable; {@link #insertJson5} returns a changed copy.
 */
public final class Config {

    private final Map<String, Object> tree;

    private Config(Map<String, Object> tree) {
        this.tree = tree;
    }

    /** The default configuration: client mode, connecting to {@code tcp/localhost:7447}. */
    public static Config defaults() {
        return new Config(new LinkedHashMap<>());
    }

    /** A client configuration connecting to {@code endpoints} (such as {@code tcp/127.0.0.1:7447}). */
    public static Config client(String... endpoints) {
        Map<String, Object> connect = new LinkedHashMap<>();
        connect.put("endpoints", List.of((Object[]) endpoints));
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("mode", "client");
        tree.put("connect", connect);
        return new Config(tree);
    }

    /** Parses a JSON5 configuration. */
    @SuppressWarnings("unchecked")
    public static Config fromJson5(String json5) throws ZError {
        try {
            Object value = Json5.parse(json5);
            if (!(value instanceof Map<?, ?> map)) throw new ZError("a Zenoh configuration is a JSON5 object");
            Config config = new Config(deepCopy((Map<String, Object>) map));
            config.validate();
            return config;
        } catch (IllegalArgumentException e) {
            throw new ZError("invalid configuration: " + e.getMessage(), e);
        }
    }

    /** Reads a JSON5 configuration file. */
    public static Config fromFile(Path file) throws ZError {
        try {
            return fromJson5(Files.readString(file));
        } catch (IOException e) {
            throw new ZError("cannot read the configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A copy with the value at the {@code /}-separated {@code key} replaced by the JSON5 {@code value}, like Zenoh's
     * {@code Config.insert_json5}, e.g. {@code insertJson5("connect/endpoints", "[\"tcp/10.0.0.1:7447\"]")}.
     */
    @SuppressWarnings("unchecked")
    public Config insertJson5(String key, String value) throws ZError {
        Object parsed;
        try {
            parsed = Json5.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ZError("invalid value for " + key + ": " + e.getMessage(), e);
        }
        Map<String, Object> copy = deepCopy(tree);
        Map<String, Object> node = copy;
        String[] path = key.split("/");
        for (int i = 0; i < path.length - 1; i++) {
            Object child = node.get(path[i]);
            if (!(child instanceof Map)) {
                child = new LinkedHashMap<String, Object>();
                node.put(path[i], child);
            }
            node = (Map<String, Object>) child;
        }
        node.put(path[path.length - 1], parsed);
        Config config = new Config(copy);
        config.validate();
        return config;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
        return copy;
    }

    private void validate() throws ZError {
        try {
            validateValues();
        } catch (IllegalArgumentException e) {
            throw new ZError("invalid configuration: " + e.getMessage(), e);
        }
    }

    private void validateValues() throws ZError {
        String mode = mode();
        if (!mode.equals("client") && !mode.equals("peer")) {
            throw new ZError("mode '" + mode + "' is not supported (client or peer)");
        }
        for (String endpoint : connectEndpoints()) {
            try {
                Endpoint.parse(endpoint);
            } catch (IllegalArgumentException e) {
                throw new ZError(e.getMessage(), e);
            }
        }
        if (!listenEndpoints().isEmpty()) {
            throw new ZError("listen endpoints are not supported: this client only connects (to a router)");
        }
        connectTimeout();
        retryInitial();
        retryMax();
        queryTimeout();
        openTimeout();
        keepAliveDivisor();
        maxMessageSize();
        if (lease().toMillis() < 100) throw new ZError("transport/link/tx/lease must be at least 100 ms");
        if (id() != null) {
            try {
                ZenohId.parse(id());
            } catch (IllegalArgumentException e) {
                throw new ZError("invalid id '" + id() + "': " + e.getMessage(), e);
            }
        }
    }

    private Object at(String path) {
        Object node = tree;
        for (String part : path.split("/")) {
            if (!(node instanceof Map<?, ?> map)) return null;
            node = map.get(part);
        }
        return node;
    }

    private long number(String path, long fallback) throws ZError {
        Object value = at(path);
        if (value == null) return fallback;
        if (value instanceof Number n) return n.longValue();
        throw new ZError(path + " must be a number, not " + value);
    }

    private String string(String path, String fallback) {
        Object value = at(path);
        return value == null ? fallback : value.toString();
    }

    private List<String> strings(String path) {
        Object value = at(path);
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) list.forEach(v -> out.add(String.valueOf(v)));
        else if (value != null) out.add(value.toString());
        return List.copyOf(out);
    }

    /** {@code client} (the default) or {@code peer}. */
    public String mode() {
        return string("mode", "client");
    }

    /** The session's Zenoh id in hexadecimal, or {@code null} for a random one. */
    public String id() {
        return string("id", null);
    }

    /** The router endpoints to connect to, in order of preference. */
    public List<String> connectEndpoints() {
        List<String> endpoints = strings("connect/endpoints");
        return endpoints.isEmpty() ? List.of("tcp/localhost:7447") : endpoints;
    }

    public List<String> listenEndpoints() {
        return strings("listen/endpoints");
    }

    /** How long {@link Zenoh#open} keeps trying to connect; negative means forever. */
    public Duration connectTimeout() {
        return Duration.ofMillis(unchecked("connect/timeout_ms", 10_000));
    }

    public Duration retryInitial() {
        return Duration.ofMillis(Math.max(10, unchecked("connect/retry/period_init_ms", 200)));
    }

    public Duration retryMax() {
        return Duration.ofMillis(Math.max(10, unchecked("connect/retry/period_max_ms", 4_000)));
    }

    public double retryFactor() {
        Object value = at("connect/retry/period_increase_factor");
        return value instanceof Number n ? Math.max(1.0, n.doubleValue()) : 2.0;
    }

    public Duration queryTimeout() {
        return Duration.ofMillis(unchecked("queries_default_timeout", 10_000));
    }

    public Duration openTimeout() {
        return Duration.ofMillis(unchecked("transport/unicast/open_timeout", 10_000));
    }

    public Duration lease() {
        return Duration.ofMillis(unchecked("transport/link/tx/lease", 10_000));
    }

    public int keepAliveDivisor() {
        return (int) Math.max(1, unchecked("transport/link/tx/keep_alive", 4));
    }

    public boolean qos() {
        return !Boolean.FALSE.equals(at("transport/unicast/qos/enabled"));
    }

    /** The largest message reassembled from fragments; larger ones are dropped. */
    public long maxMessageSize() {
        return unchecked("transport/link/rx/max_message_size", 128L << 20);
    }

    private long unchecked(String path, long fallback) {
        try {
            return number(path, fallback);
        } catch (ZError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return tree.toString();
    }
}
