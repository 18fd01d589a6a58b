package ai.auraison.edge.internal.link;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.Intent;
import ai.auraison.contract.RunId;
import ai.auraison.edge.EdgeProperties;
import ai.auraison.edge.internal.pi.PiRpcAgentHarness;
import ai.auraison.edge.internal.policy.EdgePolicy;
import ai.auraison.edge.internal.runs.EdgeRuns;
import ai.auraison.edge.internal.store.EdgeStore;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The edge's link to the central runtime (SYS-022): registers the agents, heartbeats them with the leases they hold,
 * long-polls central's queues for work (one poller per warm Pi process, so work is taken only when it can run), and
 * ships the outbox to {@code events:batch} in position order, retrying with backoff. Central being away makes the
 * edge degraded, never stops it: local intents keep running and their events wait in the outbox.
 */
public final class CentralLink implements AutoCloseable {

    /** What the link knows of central. */
    public record Status(boolean reachable, Instant since, String lastError) {}

    private static final Logger log = LoggerFactory.getLogger(CentralLink.class);

    private final CentralClient central;
    private final EdgeProperties properties;
    private final PiRpcAgentHarness harness;
    private final EdgeRuns runs;
    private final EdgeStore store;
    private final EdgePolicy policy;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Map<RunId, UUID> leases = new ConcurrentHashMap<>();
    private final Map<RunId, String> leaseAgents = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile Status status = new Status(false, Instant.now(), "not contacted yet");
    private volatile boolean closed;
    private volatile String lastBundleVersion;

    /** @param policy the edge's policy, fed with central's bundles by this link; null when the edge has none */
    public CentralLink(
            URI centralUrl,
            EdgeProperties properties,
            PiRpcAgentHarness harness,
            EdgeRuns runs,
            EdgeStore store,
            EdgePolicy policy) {
        this.central = new CentralClient(
                centralUrl, properties.centralKey(), properties.link().requestTimeout());
        this.properties = properties;
        this.harness = harness;
        this.runs = runs;
        this.store = store;
        this.policy = policy;
    }

    public URI centralUrl() {
        return central.base();
    }

    public Status status() {
        return status;
    }

    /**
     * Starts the heartbeat, poller and shipper threads, and the policy puller when the edge has a policy; the first pull
     * is tried before any work is taken, so work from a reachable central is decided by its current bundle.
     */
    public void start() {
        if (policy != null) {
            pullPolicy();
            threads.add(Thread.ofVirtual().name("central-policy").start(this::policies));
        }
        threads.add(Thread.ofVirtual().name("central-heartbeat").start(this::heartbeats));
        threads.add(Thread.ofVirtual().name("central-shipper").start(this::ship));
        for (PiRpcAgentHarness.Agent a : harness.agents()) {
            for (int i = 0; i < a.poolSize(); i++) {
                int slot = i;
                threads.add(Thread.ofVirtual()
                        .name("central-poll-" + a.agentId() + "-" + slot)
                        .start(() -> poll(a)));
            }
        }
    }

    private void reachable() {
        if (!status.reachable()) {
            log.info("central runtime {} is reachable", central.base());
            status = new Status(true, Instant.now(), null);
        }
    }

    private void unreachable(Exception e) {
        // one notion of reachability: the moment any link call finds central gone, policy decisions are degraded too
        // (not only at the policy puller's next pull)
        if (policy != null) policy.centralUnreachable();
        String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (status.reachable()) {
            log.warn("central runtime {} is unreachable ({}); working degraded", central.base(), why);
            status = new Status(false, Instant.now(), why);
        } else {
            status = new Status(false, status.since(), why);
        }
    }

    private boolean register(PiRpcAgentHarness.Agent a) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agentId", a.agentId().value());
        body.put("application", a.application());
        body.put("edgeNode", properties.nodeName());
        body.put("skills", a.skills().stream().map(s -> s.name()).toList());
        body.put("capacity", a.poolSize());
        CentralClient.Reply r = central.post("/api/v1/agents", body, Duration.ZERO);
        if (r.ok()) {
            registered.add(a.agentId().value());
            return true;
        }
        log.warn("central refused to register agent {}: {} {}", a.agentId(), r.status(), r.body());
        return false;
    }

    private void heartbeats() {
        Backoff backoff = new Backoff(properties.link().maxBackoff());
        while (!closed) {
            try {
                for (PiRpcAgentHarness.Agent a : harness.agents()) {
                    if (!registered.contains(a.agentId().value()) && !register(a)) continue;
                    List<String> held = new ArrayList<>();
                    leaseAgents.forEach((run, agent) -> {
                        if (agent.equals(a.agentId().value()) && leases.containsKey(run))
                            held.add(leases.get(run).toString());
                    });
                    CentralClient.Reply r = central.post(
                            "/api/v1/agents/" + a.agentId() + "/heartbeat", Map.of("leases", held), Duration.ZERO);
                    if (r.status() == 404) {
                        registered.remove(a.agentId().value());
                        continue;
                    }
                    for (JsonNode lost : r.body().path("lost")) {
                        String runId = lost.path("runId").asString(null);
                        String work = lost.path("workStatus").asString("");
                        if (runId != null && !"done".equals(work)) {
                            log.info("central took back the lease on run {} ({}); aborting it here", runId, work);
                            harness.abort(RunId.of(runId), "central", "the lease was " + work + " at central");
                        }
                    }
                }
                reachable();
                backoff.reset();
                sleep(properties.link().heartbeatInterval());
            } catch (IOException e) {
                unreachable(e);
                sleep(backoff.next());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void poll(PiRpcAgentHarness.Agent agent) {
        Backoff backoff = new Backoff(properties.link().maxBackoff());
        String id = agent.agentId().value();
        while (!closed) {
            try {
                if (!registered.contains(id)) {
                    sleep(Duration.ofMillis(500));
                    continue;
                }
                long wait = properties.link().pollWait().toSeconds();
                CentralClient.Reply r = central.post(
                        "/api/v1/agents/" + id + "/work:poll",
                        Map.of("max", 1, "waitSeconds", wait),
                        properties.link().pollWait());
                reachable();
                if (r.status() == 404) {
                    registered.remove(id);
                    continue;
                }
                if (!r.ok()) {
                    sleep(backoff.next());
                    continue;
                }
                backoff.reset();
                for (JsonNode item : r.body().path("items")) run(agent, item);
            } catch (IOException e) {
                unreachable(e);
                sleep(backoff.next());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("poller of {} failed: {}", id, e.toString());
                sleep(backoff.next());
            }
        }
    }

    private void run(PiRpcAgentHarness.Agent agent, JsonNode item) throws InterruptedException {
        RunId runId = RunId.of(item.path("runId").asString());
        UUID lease = UUID.fromString(item.path("leaseId").asString());
        Intent intent = ContractJson.convert(item.path("intent"), Intent.class);
        leases.put(runId, lease);
        leaseAgents.put(runId, agent.agentId().value());
        try {
            var run = runs.startLeased(
                    runId,
                    intent,
                    agent.agentId(),
                    item.path("attempt").asInt(1),
                    item.path("nextSeq").asLong());
            tryPost(
                    "/api/v1/agents/" + agent.agentId() + "/work/" + runId + ":ack",
                    Map.of("leaseId", lease.toString()));
            AgentEvent end = run.finished()
                    .toCompletableFuture()
                    .get(properties.pi().runTimeout().plusMinutes(1).toMillis(), TimeUnit.MILLISECONDS);
            log.debug("leased run {} ended with {}", runId, end.kind());
            tryPost(
                    "/api/v1/agents/" + agent.agentId() + "/work/" + runId + ":complete",
                    Map.of("leaseId", lease.toString()));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("leased run {} did not finish cleanly: {}", runId, e.toString());
        } finally {
            leases.remove(runId);
            leaseAgents.remove(runId);
        }
    }

    private void tryPost(String path, Object body) throws InterruptedException {
        try {
            central.post(path, body, Duration.ZERO);
        } catch (IOException e) {
            unreachable(e);
        }
    }

    private void ship() {
        Backoff backoff = new Backoff(properties.link().maxBackoff());
        while (!closed) {
            try {
                long seen = runs.version();
                List<EdgeStore.Outboxed> pending =
                        store.pending(properties.link().shipBatch());
                if (pending.isEmpty()) {
                    runs.awaitChange(seen, properties.link().shipInterval());
                    continue;
                }
                shipBatch(pending);
                reachable();
                backoff.reset();
            } catch (IOException e) {
                unreachable(e);
                sleep(backoff.next());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("shipping the outbox failed: {}", e.toString());
                sleep(backoff.next());
            }
        }
    }

    private void shipBatch(List<EdgeStore.Outboxed> pending) throws IOException, InterruptedException {
        List<Map<String, Object>> declarations = new ArrayList<>();
        Set<RunId> declared = new java.util.HashSet<>();
        // the events go as the store holds them (the contract's JSON), not parsed and written again
        StringBuilder events = new StringBuilder("[");
        for (EdgeStore.Outboxed o : pending) {
            if (events.length() > 1) events.append(',');
            events.append(o.json());
            RunId run = new RunId(o.runId());
            if (declared.add(run)) {
                store.run(run)
                        .filter(r -> "edge".equals(r.origin()))
                        .ifPresent(r -> declarations.add(Map.of(
                                "runId", run.toString(),
                                "intentId", r.state().intentId().value(),
                                "agentId",
                                        r.state().agentId() == null
                                                ? "unknown"
                                                : r.state().agentId().value(),
                                "tenant", r.tenant())));
            }
        }
        String body = "{\"runs\":" + ContractJson.write(declarations) + ",\"events\":" + events.append(']') + "}";
        CentralClient.Reply r = central.post("/api/v1/events:batch", body, Duration.ZERO);
        if (!r.ok()) {
            throw new IOException("central answered " + r.status() + " to events:batch: " + r.body());
        }
        JsonNode results = r.body().path("results");
        Map<String, List<Long>> byStatus = new LinkedHashMap<>();
        for (int i = 0; i < pending.size(); i++) {
            JsonNode result = results.get(i);
            String s = result == null ? "pending" : result.path("status").asString("pending");
            if ("rejected".equals(s)) {
                s = "rejected:" + result.path("code").asString("unknown");
                log.warn(
                        "central rejected event {} of run {} (seq {}): {}",
                        pending.get(i).eventId(),
                        pending.get(i).runId(),
                        pending.get(i).seq(),
                        result.path("detail").asString(""));
            }
            if (!"pending".equals(s))
                byStatus.computeIfAbsent(s, k -> new ArrayList<>())
                        .add(pending.get(i).position());
        }
        byStatus.forEach((s, positions) -> store.mark(positions, s));
    }

    private void policies() {
        while (!closed) {
            sleep(properties.policy().pullInterval());
            if (Thread.currentThread().isInterrupted()) return;
            pullPolicy();
        }
    }

    /** One pull of the policy bundle (and of central's key first, when none is trusted yet); never throws. */
    private void pullPolicy() {
        try {
            if (!policy.hasTrustedKey()) {
                CentralClient.RawReply k = central.getBytes("/api/v1/policy/bundle-key");
                if (k.status() != 200)
                    throw new IOException("central answered " + k.status() + " to policy/bundle-key");
                JsonNode key = ContractJson.tree(new String(k.body(), java.nio.charset.StandardCharsets.UTF_8));
                policy.pinKey(
                        key.path("keyId").asString(), key.path("publicKey").asString());
            }
            CentralClient.RawReply r = central.getBytes("/api/v1/policy/bundle");
            if (r.status() != 200) {
                throw new IOException("central answered " + r.status() + " to policy/bundle"
                        + (r.status() == 404 ? " (is governance off at central?)" : ""));
            }
            var installed = policy.install(r.body());
            if (!installed.version().equals(lastBundleVersion)) {
                log.info(
                        "policy bundle {} of tenant {} installed (issued {})",
                        installed.version(),
                        installed.tenant(),
                        installed.issuedAt());
                lastBundleVersion = installed.version();
            }
        } catch (IOException | RuntimeException e) {
            policy.centralUnreachable();
            log.warn("no fresh policy bundle from central ({}); deciding degraded from the last one", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
    }

    /** Exponential backoff with jitter, from 200 ms to {@code max}. */
    static final class Backoff {
        private final long maxMs;
        private long current = 200;

        Backoff(Duration max) {
            this.maxMs = max.toMillis();
        }

        Duration next() {
            long jitter = (long) (current
                    * 0.2
                    * java.util.concurrent.ThreadLocalRandom.current().nextDouble());
            Duration d = Duration.ofMillis(current + jitter);
            current = Math.min(current * 2, maxMs);
            return d;
        }

        void reset() {
            current = 200;
        }
    }
}
