package ai.auraison.bench.zenoh;

import ai.auraison.testfixtures.Peers;
import ai.auraison.zenoh.Config;
import ai.auraison.zenoh.CongestionControl;
import ai.auraison.zenoh.KeyExpr;
import ai.auraison.zenoh.Publisher;
import ai.auraison.zenoh.PublisherOptions;
import ai.auraison.zenoh.Reply;
import ai.auraison.zenoh.Session;
import ai.auraison.zenoh.ZBytes;
import ai.auraison.zenoh.ZError;
import ai.auraison.zenoh.Zenoh;
import ai.auraison.zenoh.internal.Json5;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Round-trip latency (64 B ping/pong) and throughput (1 KiB and 1 MiB) through one eclipse-zenoh router on loopback:
 * two Java client sessions beside two eclipse-zenoh Python client sessions (the native Rust core), measured in the
 * same run, alternating, for several rounds. Prints each round and a Markdown table of the medians.
 *
 * <p>Run: {@code bench/run ZenohBench [--rounds 3] [--count 20000] [--seconds 4]}. Needs {@code bin/setup-peers}.
 */
public final class ZenohBench {

    private static final String[] ROUTER_ARGS = {"--lease-ms", "10000"};

    private final Path python = Peers.python();
    private final Path scripts = Peers.projectRoot().resolve("tools/peers/zenoh");
    private final int rounds;
    private final int count;
    private final int warmup;
    private final double seconds;
    private final String only;
    private String endpoint;

    private ZenohBench(int rounds, int count, double seconds, String only) {
        this.rounds = rounds;
        this.only = only;
        this.count = count;
        this.warmup = Math.max(1000, count / 10);
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        new ZenohBench(
                        Integer.parseInt(options.getOrDefault("rounds", "3")),
                        Integer.parseInt(options.getOrDefault("count", "20000")),
                        Double.parseDouble(options.getOrDefault("seconds", "4")),
                        options.getOrDefault("only", "all"))
                .run();
        System.exit(0);
    }

    private void run() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        endpoint = "tcp/127.0.0.1:" + port;
        List<String> command = new ArrayList<>(
                List.of(python.toString(), scripts.resolve("router.py").toString(), "--listen", endpoint));
        command.addAll(Arrays.asList(ROUTER_ARGS));
        Process router = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(router.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            if (ready == null || !ready.startsWith("READY")) throw new IllegalStateException("router: " + ready);
            Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
            measure();
        } finally {
            router.destroyForcibly();
            router.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void measure() throws Exception {
        if (only.startsWith("java-")) {
            // one Java measurement alone, e.g. under a profiler: --only java-latency | java-1024 | java-1048576
            for (int round = 1; round <= rounds; round++) {
                String what = only.substring(5);
                record(
                        new LinkedHashMap<>(),
                        only,
                        what.equals("latency") ? javaLatency() : javaThroughput(Integer.parseInt(what)));
            }
            return;
        }
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            record(results, "latency java", javaLatency());
            record(results, "latency python", pythonLatency());
            for (int size : new int[] {1024, 1 << 20}) {
                record(results, "throughput " + size + " java", javaThroughput(size));
                record(results, "throughput " + size + " python", pythonThroughput(size));
            }
            System.out.println("round " + round + " done");
        }
        System.out.println();
        System.out.println("| measurement | Java↔Java | Python↔Python | Java / Python |");
        System.out.println("|---|---|---|---|");
        double[] lj = medians(results.get("latency java"));
        double[] lp = medians(results.get("latency python"));
        System.out.printf("| round trip p50, 64 B | %.1f µs | %.1f µs | %.2f× |%n", lj[0], lp[0], lj[0] / lp[0]);
        System.out.printf("| round trip p99, 64 B | %.1f µs | %.1f µs | %.2f× |%n", lj[1], lp[1], lj[1] / lp[1]);
        for (int size : new int[] {1024, 1 << 20}) {
            double[] tj = medians(results.get("throughput " + size + " java"));
            double[] tp = medians(results.get("throughput " + size + " python"));
            String label = size == 1024 ? "1 KiB" : "1 MiB";
            System.out.printf(
                    "| throughput %s | %.0f msg/s = %.1f MB/s | %.0f msg/s = %.1f MB/s | %.2f× |%n",
                    label, tj[0], tj[1] / 1e6, tp[0], tp[1] / 1e6, tj[1] / tp[1]);
        }
        System.out.println();
        System.out.println("all rounds: ");
        results.forEach((name, values) -> {
            StringBuilder line = new StringBuilder(name).append(':');
            for (double[] v : values) line.append(String.format(" [%.1f, %.1f]", v[0], v[1]));
            System.out.println(line);
        });
    }

    private static void record(Map<String, List<double[]>> results, String name, double[] values) {
        results.computeIfAbsent(name, k -> new ArrayList<>()).add(values);
        System.out.printf("%-28s %,.1f  %,.1f%n", name, values[0], values[1]);
    }

    private static double[] medians(List<double[]> rows) {
        double[] out = new double[rows.get(0).length];
        for (int i = 0; i < out.length; i++) {
            int column = i;
            double[] sorted = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
            out[i] = sorted[sorted.length / 2];
        }
        return out;
    }

    private Session open() throws ZError {
        return Zenoh.open(Config.client(endpoint));
    }

    /** Waits until the router processed what {@code session} sent (a get nobody answers comes back). */
    private static void routed(Session session) throws Exception {
        Optional<Reply> end =
                session.get(KeyExpr.of("bench/sync/" + System.nanoTime())).poll(10, TimeUnit.SECONDS);
        if (end == null || end.isPresent()) throw new IllegalStateException("no sync from the router");
    }

    /** Round trips of a callback chain: the ping session's pong callback records the time and sends the next ping. */
    private double[] javaLatency() throws Exception {
        PublisherOptions express = PublisherOptions.defaults()
                .withCongestionControl(CongestionControl.BLOCK)
                .withExpress(true);
        try (Session ping = open();
                Session pong = open()) {
            Publisher pongPub = pong.declarePublisher(KeyExpr.of("bench/pong"), express);
            pong.declareSubscriber(KeyExpr.of("bench/ping"), sample -> {
                try {
                    pongPub.put(sample.payload());
                } catch (ZError e) {
                    throw new IllegalStateException(e);
                }
            });
            Publisher pingPub = ping.declarePublisher(KeyExpr.of("bench/ping"), express);
            int total = warmup + count;
            long[] rtts = new long[count];
            long[] sentAt = new long[1];
            int[] n = new int[1];
            CountDownLatch done = new CountDownLatch(1);
            ZBytes payload = ZBytes.from(new byte[64]);
            ping.declareSubscriber(KeyExpr.of("bench/pong"), sample -> {
                long now = System.nanoTime();
                int i = n[0]++;
                if (i >= warmup) rtts[i - warmup] = now - sentAt[0];
                if (n[0] >= total) {
                    done.countDown();
                    return;
                }
                sentAt[0] = System.nanoTime();
                try {
                    pingPub.put(payload);
                } catch (ZError e) {
                    throw new IllegalStateException(e);
                }
            });
            routed(ping);
            routed(pong);
            sentAt[0] = System.nanoTime();
            pingPub.put(payload);
            if (!done.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("only " + n[0] + " round trips");
            Arrays.sort(rtts);
            return new double[] {rtts[count / 2] / 1000.0, rtts[(int) (count * 0.99)] / 1000.0};
        }
    }

    /** Messages per second and bytes per second a subscriber receives from a publisher putting in a loop. */
    private double[] javaThroughput(int size) throws Exception {
        try (Session sub = open();
                Session pub = open()) {
            AtomicLong received = new AtomicLong();
            sub.declareSubscriber(KeyExpr.of("bench/thr"), sample -> received.incrementAndGet());
            routed(sub);
            Publisher publisher = pub.declarePublisher(
                    KeyExpr.of("bench/thr"),
                    PublisherOptions.defaults().withCongestionControl(CongestionControl.BLOCK));
            ZBytes payload = ZBytes.from(new byte[size]);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread loop = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        publisher.put(payload);
                    } catch (ZError e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            Thread.sleep(1000);
            long startCount = received.get();
            long start = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            long endCount = received.get();
            long end = System.nanoTime();
            running.set(false);
            loop.join(10_000);
            double perSecond = (endCount - startCount) / ((end - start) / 1e9);
            return new double[] {perSecond, perSecond * size};
        }
    }

    private double[] pythonLatency() throws Exception {
        Map<String, Object> result =
                python("latency", "--size", "64", "--warmup", String.valueOf(warmup), "--count", String.valueOf(count));
        return new double[] {number(result, "p50_us"), number(result, "p99_us")};
    }

    private double[] pythonThroughput(int size) throws Exception {
        Map<String, Object> result = python(
                "throughput",
                "--size",
                String.valueOf(size),
                "--seconds",
                String.valueOf(seconds),
                "--warmup-seconds",
                "1");
        return new double[] {number(result, "msgs_per_s"), number(result, "bytes_per_s")};
    }

    private static double number(Map<String, Object> result, String key) {
        return ((Number) result.get(key)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> python(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(python.toString(), scripts.resolve("bench_pair.py").toString()));
        command.addAll(Arrays.asList(args));
        command.add("--connect");
        command.add(endpoint);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String last = null;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) if (line.startsWith("{")) last = line;
        }
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the Python bench did not finish");
        }
        if (last == null) throw new IllegalStateException("the Python bench printed no result");
        return (Map<String, Object>) Json5.parse(last);
    }
}
