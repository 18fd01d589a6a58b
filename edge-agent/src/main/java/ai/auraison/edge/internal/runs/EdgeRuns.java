package ai.auraison.edge.internal.runs;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.EventId;
import ai.auraison.contract.Failure;
import ai.auraison.contract.Intent;
import ai.auraison.contract.RunId;
import ai.auraison.contract.RunState;
import ai.auraison.contract.RunStatus;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.contract.TreeRef;
import ai.auraison.contract.spi.AgentHarness;
import ai.auraison.edge.internal.pi.PiRpcAgentHarness;
import ai.auraison.edge.internal.store.EdgeStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs of this edge and their events: every event is applied to the run's {@link RunState} (so the run's history
 * stays a valid sequence) and written to the durable outbox before anyone else sees it; then the live streams and the
 * shipper are woken. Starts runs on the harness, locally admitted or leased from central.
 */
public final class EdgeRuns {

    /** Where a run came from. */
    public enum Origin {
        EDGE,
        CENTRAL;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Live(RunState state, String tenant, Origin origin) {}

    private static final Logger log = LoggerFactory.getLogger(EdgeRuns.class);
    private static final String V = SchemaVersions.CURRENT;

    private final EdgeStore store;
    private final PiRpcAgentHarness harness;
    private final Map<RunId, Live> live = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Consumer<AgentEvent>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long version;

    public EdgeRuns(EdgeStore store, PiRpcAgentHarness harness) {
        this.store = store;
        this.harness = harness;
        store.sessions().forEach(harness::rememberSession);
        for (EdgeStore.StoredRun r : store.unfinished()) {
            // the process that ran it died with the previous edge process: say so, once
            live.put(
                    r.state().runId(),
                    new Live(r.state(), r.tenant(), Origin.valueOf(r.origin().toUpperCase(java.util.Locale.ROOT))));
            RunId id = r.state().runId();
            record(
                    id,
                    seq -> new AgentEvent.RunFailed(
                            EventId.random(),
                            id,
                            seq,
                            Instant.now(),
                            r.state().treeRef(),
                            V,
                            new Failure("edge.restarted", "the edge runtime restarted while the run was in progress")));
        }
    }

    /** Called with each run and its intent just before the run starts on the harness. */
    public void onStart(java.util.function.BiConsumer<RunId, Intent> listener) {
        starters.add(listener);
    }

    private final List<java.util.function.BiConsumer<RunId, Intent>> starters =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private void starting(RunId run, Intent intent) {
        for (var s : starters) {
            try {
                s.accept(run, intent);
            } catch (RuntimeException e) {
                log.warn("run start listener failed for {}: {}", run, e.toString());
            }
        }
    }

    /** Called after every recorded event (after it is durable). */
    public void onEvent(Consumer<AgentEvent> listener) {
        listeners.add(listener);
    }

    /** Starts a run of a locally admitted intent, after its admission decisions (already recorded). */
    public AgentHarness.HarnessRun startLocal(RunId runId, Intent intent, AgentId agent) {
        RunState state = stateOf(runId).orElseThrow();
        starting(runId, intent);
        return harness.start(
                new AgentHarness.StartRun(runId, intent, agent, List.of(), 1, state.lastSeq() + 1, null, null),
                this::record);
    }

    /**
     * Starts a run leased from central: its history there ends at {@code nextSeq - 1} (queued, dispatched), which this
     * edge continues. Returns the harness run.
     */
    public AgentHarness.HarnessRun startLeased(RunId runId, Intent intent, AgentId agent, int attempt, long nextSeq) {
        RunState state = new RunState(
                runId,
                intent.intentId(),
                agent,
                null,
                RunStatus.DISPATCHED,
                attempt,
                nextSeq - 1,
                Instant.now(),
                Instant.now(),
                null,
                null,
                null,
                V);
        live.put(runId, new Live(state, intent.policyCtx().tenant().value(), Origin.CENTRAL));
        starting(runId, intent);
        return harness.start(
                new AgentHarness.StartRun(runId, intent, agent, List.of(), attempt, nextSeq, null, null), this::record);
    }

    /** Starts a run forked from an entry of an earlier run's tree, as a new edge run of {@code intent}. */
    public AgentHarness.HarnessRun startFork(RunId runId, Intent intent, AgentId agent, TreeRef from, String prompt) {
        RunState state = stateOf(runId).orElseThrow();
        starting(runId, intent);
        return harness.start(
                new AgentHarness.StartRun(runId, intent, agent, List.of(), 1, state.lastSeq() + 1, prompt, from),
                this::record);
    }

    /** Opens a run of this edge in PENDING state (before its admission events). */
    public void open(RunId runId, Intent intent, AgentId agent) {
        live.put(
                runId,
                new Live(
                        RunState.pending(runId, intent.intentId(), agent, Instant.now()),
                        intent.policyCtx().tenant().value(),
                        Origin.EDGE));
    }

    /** Records an event built from the run's next seq (edge-made events such as admission decisions). */
    public AgentEvent record(RunId runId, LongFunction<AgentEvent> event) {
        synchronized (monitor(runId)) {
            Live l = live.get(runId);
            AgentEvent e = event.apply(l.state().lastSeq() + 1);
            record(e);
            return e;
        }
    }

    /** Records one event of a run: applied, made durable, then announced. */
    public void record(AgentEvent event) {
        synchronized (monitor(event.runId())) {
            Live l = live.get(event.runId());
            if (l == null) throw new IllegalStateException("no run " + event.runId() + " is open on this edge");
            RunState next = l.state().apply(event);
            store.append(event, next, l.tenant(), l.origin().wire());
            if (next.status().isTerminal()) live.remove(event.runId());
            else live.put(event.runId(), new Live(next, l.tenant(), l.origin()));
            if (event instanceof AgentEvent.RunStarted && event.treeRef() != null) {
                harness.sessionFile(event.treeRef().sessionId())
                        .ifPresent(file -> store.saveSession(event.runId(), file));
            }
        }
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Consumer<AgentEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                log.warn("event listener failed: {}", e.toString());
            }
        }
    }

    private final Map<RunId, Object> monitors = new ConcurrentHashMap<>();

    private Object monitor(RunId run) {
        return monitors.computeIfAbsent(run, r -> new Object());
    }

    /** The state of a run of this edge (live or stored). */
    public Optional<RunState> stateOf(RunId runId) {
        Live l = live.get(runId);
        if (l != null) return Optional.of(l.state());
        return store.run(runId).map(EdgeStore.StoredRun::state);
    }

    public Optional<EdgeStore.StoredRun> stored(RunId runId) {
        Live l = live.get(runId);
        if (l != null)
            return Optional.of(
                    new EdgeStore.StoredRun(l.state(), l.tenant(), l.origin().wire(), null));
        return store.run(runId);
    }

    public List<AgentEvent> events(RunId runId, long afterSeq, int limit) {
        return store.events(runId, afterSeq, limit);
    }

    /** The version of the event stream; pass it to {@link #awaitChange}. */
    public long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until an event is recorded after {@code seen}, or {@code timeout} passes. */
    public boolean awaitChange(long seen, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (version == seen) {
                if (nanos <= 0) return false;
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Runs in progress here. */
    public int active() {
        return live.size();
    }
}
