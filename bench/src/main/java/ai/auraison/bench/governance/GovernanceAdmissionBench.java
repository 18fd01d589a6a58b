package ai.auraison.bench.governance;

import ai.auraison.bench.AppJar;
import ai.auraison.bench.ClosedLoop;
import ai.auraison.bench.Latencies;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Admission throughput with governance off and on, in the same run, on the same machine: the central jar on its
 * embedded PostgreSQL (fsync and synchronous commit on), started once per mode on a fresh data dir, 8 tenants with one
 * agent each, 32 concurrent HTTP clients submitting intents for their tenant's agent. Modes, in rounds:
 *
 * <ul>
 *   <li>{@code off}: {@code auraison.governance.enabled=false} (no keys, no policies, no budgets: orchestration alone);
 *   <li>{@code on}: API keys (an operator key per tenant), tenant filters, the policy hook with the baseline and a
 *       50-rule active set per tenant, rate quotas (raised so they do not refuse), decision audit;
 *   <li>{@code on+budget}: as {@code on}, plus a tenant budget with a run estimate, so that admission reserves in the
 *       ledger (one more transaction per intent).
 * </ul>
 *
 * <pre>bench/run GovernanceAdmissionBench [seconds-per-step, default 15] [rounds, default 2]</pre>
 */
public final class GovernanceAdmissionBench {

    private static final int TENANTS = 8;
    private static final int CLIENTS = 32;
    private static final String ROOT = "bench-root-key-" + UUID.randomUUID();

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.out.printf(
                "machine: %d cores, %s %s; %d clients, %d tenants, %d s per step, %d rounds%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("java.version"),
                CLIENTS,
                TENANTS,
                seconds,
                rounds);
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, Latencies> latencies = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String mode : List.of("off", "on", "on+budget")) {
                ClosedLoop.Result r = run(mode, seconds);
                rates.computeIfAbsent(mode, k -> new ArrayList<>()).add(r.rate());
                latencies.put(mode + " #" + round, r.latencies());
                System.out.printf(
                        "round %d %-10s %8.0f intents/s  %s  errors=%d%n",
                        round, mode, r.rate(), r.latencies().summary(), r.errors());
            }
        }
        double off = median(rates.get("off"));
        System.out.printf("%nmedian over rounds: off %.0f/s", off);
        for (String mode : List.of("on", "on+budget")) {
            double m = median(rates.get(mode));
            System.out.printf(
                    ", %s %.0f/s (%.1f %% of off, loss %.1f %%)", mode, m, 100 * m / off, 100 * (1 - m / off));
        }
        System.out.println();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static ClosedLoop.Result run(String mode, int seconds) throws Exception {
        Path data = Files.createTempDirectory("governance-bench");
        int httpPort = AppJar.freePort();
        boolean governed = !mode.equals("off");
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        try (AppJar central = AppJar.start(
                "central-runtime",
                data,
                httpPort,
                List.of(),
                "--auraison.governance.bootstrap-admin-key=" + ROOT,
                "--auraison.orchestration.max-queue-depth-per-agent=10000000",
                "--auraison.orchestration.max-queued-per-tenant=10000000",
                "--auraison.governance.enabled=" + governed,
                "--auraison.governance.quotas.tenant-requests-per-second=1000000",
                "--auraison.governance.quotas.tenant-burst=1000000",
                "--auraison.governance.quotas.principal-requests-per-second=1000000",
                "--auraison.governance.quotas.principal-burst=1000000")) {
            HttpJson api = central.api();
            List<String> tenants = new ArrayList<>();
            List<String> opsKeys = new ArrayList<>();
            List<String> agents = new ArrayList<>();
            List<String> edgeKeys = new ArrayList<>();
            for (int t = 0; t < TENANTS; t++) {
                String tenant = "tenant-" + t;
                tenants.add(tenant);
                agents.add("turtlebot-maze.bench-" + t);
                if (governed) {
                    String admin = check(api.post("/api/v1/tenants", Map.of("tenant", tenant), auth(ROOT)), 201)
                            .json()
                            .at("/admin/key")
                            .asString();
                    opsKeys.add(key(api, admin, "operator@acme", "operator", "operator"));
                    edgeKeys.add(key(api, admin, "edge-" + t, "edge", "edge"));
                    check(
                            api.send(
                                    "POST",
                                    "/api/v1/policy-sets",
                                    "application/yaml",
                                    PolicyDecisionBench.generate(50, new java.util.Random(t))
                                            .replace("name: generated", "name: bench"),
                                    auth(admin)),
                            201);
                    check(api.post("/api/v1/policy-sets/bench/versions/1:activate", "{}", auth(admin)), 200);
                    if (mode.equals("on+budget")) {
                        check(
                                api.post(
                                        "/api/v1/budgets",
                                        Map.of(
                                                "name", "bench",
                                                "scope", "tenant",
                                                "period", "month",
                                                "limitUsd", 1_000_000,
                                                "runEstimateUsd", 0.01),
                                        auth(admin)),
                                201);
                    }
                } else {
                    opsKeys.add(null);
                    edgeKeys.add(null);
                }
                check(
                        api.post(
                                "/api/v1/agents",
                                Map.of(
                                        "agentId",
                                        agents.get(t),
                                        "application",
                                        "turtlebot-maze",
                                        "edgeNode",
                                        "bench",
                                        "skills",
                                        List.of("maze-navigation"),
                                        "capacity",
                                        64),
                                auth(edgeKeys.get(t))),
                        201);
            }
            heartbeats.scheduleAtFixedRate(
                    () -> {
                        for (int t = 0; t < TENANTS; t++) {
                            api.post("/api/v1/agents/" + agents.get(t) + "/heartbeat", "{}", auth(edgeKeys.get(t)));
                        }
                    },
                    5,
                    5,
                    TimeUnit.SECONDS);
            admit(httpPort, tenants, agents, opsKeys, 5); // warm-up: JIT, pools, caches
            return admit(httpPort, tenants, agents, opsKeys, seconds);
        } finally {
            heartbeats.shutdownNow();
        }
    }

    private static String[] auth(String key) {
        return key == null ? new String[0] : new String[] {"Authorization", "Bearer " + key};
    }

    private static HttpJson.Response check(HttpJson.Response r, int status) {
        if (r.status() != status) throw new IllegalStateException("expected " + status + ": " + r);
        return r;
    }

    private static String key(HttpJson api, String admin, String principal, String kind, String role) {
        check(
                api.post(
                        "/api/v1/principals",
                        Map.of("principal", principal, "kind", kind, "roles", List.of(role)),
                        auth(admin)),
                201);
        return check(api.post("/api/v1/principals/" + principal + "/keys", "{}", auth(admin)), 201)
                .json()
                .get("key")
                .asString();
    }

    private static ClosedLoop.Result admit(
            int port, List<String> tenants, List<String> agents, List<String> keys, int seconds) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/intents");
        return ClosedLoop.run(CLIENTS, seconds, (worker, n) -> {
            int t = worker % tenants.size();
            Intent intent = ContractFixtures.anIntent()
                    .withId("b-" + UUID.randomUUID())
                    .targeting(agents.get(t))
                    .forTenant(tenants.get(t))
                    .withParams(Map.of("maze", "classic-8x8", "size", 64))
                    .build();
            var request = HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ContractJson.write(intent)));
            if (keys.get(t) != null) request.header("Authorization", "Bearer " + keys.get(t));
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 202;
        });
    }
}
