package ai.auraison.bench.orchestration;

import ai.auraison.bench.AppJar;
import ai.auraison.bench.ClosedLoop;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.Intent;
import ai.auraison.testfixtures.ContractFixtures;
import ai.auraison.testfixtures.HttpJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * Admission throughput and latency of the central runtime on its embedded PostgreSQL (production settings: fsync and
 * synchronous commit on), at 32 and 64 concurrent HTTP clients, beside a raw JDBC insert of the same intent row into the
 * same database in the same run; then lease+complete cycles per second.
 *
 * <pre>bench/run AdmissionBench [seconds-per-step, default 15]</pre>
 *
 * <p>{@code CENTRAL_JVM_OPTS} and {@code CENTRAL_ARGS} add JVM options and application arguments to the central process
 * (for a profile: {@code CENTRAL_JVM_OPTS=-XX:StartFlightRecording=filename=/tmp/a.jfr,settings=profile}).
 */
public final class AdmissionBench {

    private static final int AGENTS = 4;
    private static final int TENANTS = 8;

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path data = Files.createTempDirectory("admission-bench");
        int httpPort = AppJar.freePort();
        int pgPort = AppJar.freePort();
        List<String> centralArgs = new ArrayList<>(List.of(
                "--auraison.central.embedded-postgres.port=" + pgPort,
                "--auraison.orchestration.max-queue-depth-per-agent=10000000",
                "--auraison.orchestration.max-queued-per-tenant=10000000",
                // this benchmark measures orchestration alone; GovernanceAdmissionBench compares with governance on
                "--auraison.governance.enabled=false"));
        // CENTRAL_JVM_OPTS / CENTRAL_ARGS: extra options for the central process, e.g. a JFR recording to profile it
        centralArgs.addAll(words(System.getenv("CENTRAL_ARGS")));
        try (AppJar central = AppJar.start(
                "central-runtime",
                data,
                httpPort,
                words(System.getenv("CENTRAL_JVM_OPTS")),
                centralArgs.toArray(String[]::new))) {
            HttpJson api = central.api();
            System.out.printf(
                    "machine: %d cores, %s %s; central pid %d, embedded PostgreSQL 17 on :%d%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"),
                    System.getProperty("java.version"),
                    central.pid(),
                    pgPort);
            List<String> agents = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                String id = "turtlebot-maze.bench-" + i;
                api.post(
                        "/api/v1/agents",
                        Map.of(
                                "agentId",
                                id,
                                "application",
                                "turtlebot-maze",
                                "edgeNode",
                                "bench",
                                "skills",
                                List.of("maze-navigation"),
                                "capacity",
                                64));
                agents.add(id);
            }
            // agents stay healthy only while they heartbeat (30 s timeout)
            // a daemon thread, so the benchmark's JVM exits when main returns
            var heartbeats = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().factory());
            heartbeats.scheduleAtFixedRate(
                    () -> agents.forEach(a -> api.post("/api/v1/agents/" + a + "/heartbeat", "{}")),
                    5,
                    5,
                    java.util.concurrent.TimeUnit.SECONDS);
            String jdbc = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?user=postgres";
            try (Connection c = DriverManager.getConnection(jdbc);
                    Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS bench");
                st.execute("CREATE TABLE IF NOT EXISTS bench.intents_raw (LIKE orchestration.intents INCLUDING ALL)");
            }
            // warm-up: JIT, connection pools, PostgreSQL caches
            admit(httpPort, agents, 16, 5);
            raw(jdbc, 16, 3);

            for (int clients : new int[] {32, 64}) {
                ClosedLoop.Result baseline = raw(jdbc, clients, seconds);
                ClosedLoop.Result admission = admit(httpPort, agents, clients, seconds);
                System.out.printf("%n%d clients%n", clients);
                System.out.printf(
                        "  raw JDBC insert of the intent row : %8.0f rows/s     %s%n",
                        baseline.rate(), baseline.latencies().summary());
                System.out.printf(
                        "  POST /api/v1/intents (admission)  : %8.0f intents/s  %s  errors=%d%n",
                        admission.rate(), admission.latencies().summary(), admission.errors());
                System.out.printf("  admission / raw insert rate        : %.2f%n", admission.rate() / baseline.rate());
            }
            ClosedLoop.Result cycles = leaseCycles(httpPort, agents, seconds);
            System.out.printf(
                    "%nlease+complete cycles (4 agents x 8 pollers, 1 item per poll): %.0f cycles/s  %s  errors=%d%n",
                    cycles.rate(), cycles.latencies().summary(), cycles.errors());
        }
    }

    private static ClosedLoop.Result admit(int port, List<String> agents, int clients, int seconds) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/intents");
        return ClosedLoop.run(clients, seconds, (worker, n) -> {
            Intent intent = ContractFixtures.anIntent()
                    .withId("b-" + UUID.randomUUID())
                    .targeting(agents.get((int) (n % agents.size())))
                    .forTenant("tenant-" + (worker % TENANTS))
                    .withParams(Map.of("maze", "classic-8x8", "start", Map.of("x", 0, "y", 0)))
                    .build();
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(uri)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(ContractJson.write(intent)))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 202;
        });
    }

    private static ClosedLoop.Result raw(String jdbc, int clients, int seconds) throws Exception {
        String body = ContractJson.write(ContractFixtures.anIntent()
                .withParams(Map.of("maze", "classic-8x8"))
                .build());
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < clients; i++) connections.add(DriverManager.getConnection(jdbc));
        try {
            return ClosedLoop.run(clients, seconds, (worker, n) -> {
                try (PreparedStatement ps = connections
                        .get(worker)
                        .prepareStatement(
                                "INSERT INTO bench.intents_raw (intent_id, tenant, principal, type, body, body_sha256, run_id, agent_id, "
                                        + "http_status, answer) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, 202, ?::jsonb)")) {
                    ps.setString(1, "raw-" + UUID.randomUUID());
                    ps.setString(2, "tenant-" + (worker % TENANTS));
                    ps.setString(3, "operator@acme");
                    ps.setString(4, "maze.solve");
                    ps.setString(5, body);
                    ps.setBytes(6, new byte[32]);
                    ps.setObject(7, UUID.randomUUID());
                    ps.setString(8, "turtlebot-maze.bench-0");
                    ps.setString(9, "{\"status\":\"queued\"}");
                    return ps.executeUpdate() == 1;
                }
            });
        } finally {
            for (Connection c : connections) c.close();
        }
    }

    private static ClosedLoop.Result leaseCycles(int port, List<String> agents, int seconds) throws Exception {
        HttpJson api = HttpJson.local(port);
        // enough queued work that pollers never starve: what the admission steps left plus a top-up
        admit(port, agents, 32, 3);
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return ClosedLoop.run(agents.size() * 8, seconds, (worker, n) -> {
            String agent = agents.get(worker % agents.size());
            HttpJson.Response r =
                    api.post("/api/v1/agents/" + agent + "/work:poll", Map.of("max", 1, "waitSeconds", 1));
            if (r.status() != 200 || r.json().get("items").isEmpty()) return false;
            var item = r.json().get("items").get(0);
            HttpResponse<Void> done = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/agents/" + agent + "/work/"
                                    + item.get("runId").asString() + ":complete"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"leaseId\":\"" + item.get("leaseId").asString() + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return done.statusCode() == 204;
        });
    }
}
