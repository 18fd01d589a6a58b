package ai.auraison.edge.internal.runs;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
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
    /** The latest state of each run in progress: what the next event is applied to. */
    private final Map<RunId, Live> live = new ConcurrentHashMap<>();
    /** What readers see: each run's state as far as its events are stored; the store answers for finished runs. */
    private final Map<RunId, Live> visible = new ConcurrentHashMap<>();

    private final Map<RunId, java.util.concurrent.CompletableFuture<RunState>> settled = new ConcurrentHashMap<>();
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
            Live restored =
                    new Live(r.state(), r.tenant(), Origin.valueOf(r.origin().toUpperCase(java.util.Locale.ROOT)));
            live.put(r.state().runId(), restored);
            visible.put(r.state().runId(), restored);
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
        RunState state = latest(runId).orElseThrow();
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
        Live leased = new Live(state, intent.policyCtx().tenant().value(), Origin.CENTRAL);
        live.put(runId, leased);
        visible.put(runId, leased);
        starting(runId, intent);
        return harness.start(
                new AgentHarness.StartRun(runId, intent, agent, List.of(), attempt, nextSeq, null, null), this::record);
    }

    /** Starts a run forked from an entry of an earlier run's tree, as a new edge run of {@code intent}. */
    public AgentHarness.HarnessRun startFork(RunId runId, Intent intent, AgentId agent, TreeRef from, String prompt) {
        RunState state = latest(runId).orElseThrow();
        starting(runId, intent);
        return harness.start(
                new AgentHarness.StartRun(runId, intent, agent, List.of(), 1, state.lastSeq() + 1, prompt, from),
                this::record);
    }

    /**
     * Admits a local intent: records it with its answer and the run's first events (admission decisions) in one
     * durable write. Returns false, writing nothing, when the intent id was taken meanwhile.
     */
    public boolean admit(
            EdgeStore.StoredIntent stored, Intent intent, AgentId agent, List<LongFunction<AgentEvent>> first) {
        RunId runId = new RunId(stored.runId());
        String tenant = intent.policyCtx().tenant().value();
        synchronized (monitor(runId)) {
            RunState state = RunState.pending(runId, intent.intentId(), agent, Instant.now());
            List<AgentEvent> events = new java.util.ArrayList<>();
            List<RunState> states = new java.util.ArrayList<>();
            for (LongFunction<AgentEvent> f : first) {
                AgentEvent e = f.apply(state.lastSeq() + 1);
                state = state.apply(e);
                events.add(e);
                states.add(state);
            }
            if (!store.saveIntent(stored, ContractJson.write(intent), events, states, tenant, Origin.EDGE.wire())) {
                return false;
            }
            if (!state.status().isTerminal()) {
                live.put(runId, new Live(state, tenant, Origin.EDGE));
                visible.put(runId, new Live(state, tenant, Origin.EDGE));
            }
            announce(events);
            return true;
        }
    }

    /** Opens a run of this edge in PENDING state (before its admission events). */
    public void open(RunId runId, Intent intent, AgentId agent) {
        Live opened = new Live(
                RunState.pending(runId, intent.intentId(), agent, Instant.now()),
                intent.policyCtx().tenant().value(),
                Origin.EDGE);
        live.put(runId, opened);
        visible.put(runId, opened);
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
            // durable before anyone sees it (readers and the shipper read the store), but the run goes on meanwhile
            var durable = store.append(event, next, l.tenant(), l.origin().wire());
            Live now = new Live(next, l.tenant(), l.origin());
            if (next.status().isTerminal()) {
                live.remove(event.runId());
                monitors.remove(event.runId());
            } else {
                live.put(event.runId(), now);
            }
            durable.whenComplete((position, error) -> {
                if (error != null) {
                    // the run's record would have a gap from here on: stop it rather than go on without the event
                    log.error(
                            "event {} of run {} was not stored; aborting the run",
                            event.eventId(),
                            event.runId(),
                            error);
                    if (!next.status().isTerminal())
                        harness.abort(event.runId(), "edge-store", "event " + event.seq() + " could not be stored");
                    return;
                }
                // appends complete in the order they were made, so readers see each run's history grow in order
                if (next.status().isTerminal()) {
                    visible.remove(event.runId());
                    settledFuture(event.runId()).complete(next);
                    settled.remove(event.runId());
                } else {
                    visible.put(event.runId(), now);
                }
                announce(List.of(event));
            });
            if (event instanceof AgentEvent.RunStarted && event.treeRef() != null) {
                harness.sessionFile(event.treeRef().sessionId())
                        .ifPresent(file -> store.saveSession(event.runId(), file));
            }
        }
    }

    private void announce(List<AgentEvent> events) {
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (AgentEvent event : events) {
            for (Consumer<AgentEvent> l : listeners) {
                try {
                    l.accept(event);
                } catch (RuntimeException e) {
                    log.warn("event listener failed: {}", e.toString());
                }
            }
        }
    }

    private final Map<RunId, Object> monitors = new ConcurrentHashMap<>();

    private Object monitor(RunId run) {
        return monitors.computeIfAbsent(run, r -> new Object());
    }

    /** The state of a run of this edge as far as its events are stored. */
    public Optional<RunState> stateOf(RunId runId) {
        Live l = visible.get(runId);
        if (l != null) return Optional.of(l.state());
        return store.run(runId).map(EdgeStore.StoredRun::state);
    }

    /** Completes with the run's final state once its terminal event is stored. */
    public java.util.concurrent.CompletableFuture<RunState> settled(RunId runId) {
        Optional<RunState> done = stateOf(runId).filter(st -> st.status().isTerminal());
        if (done.isPresent()) return java.util.concurrent.CompletableFuture.completedFuture(done.get());
        java.util.concurrent.CompletableFuture<RunState> f = settledFuture(runId);
        // the terminal event may have been stored between the look above and registering
        stateOf(runId).filter(st -> st.status().isTerminal()).ifPresent(st -> {
            f.complete(st);
            settled.remove(runId);
        });
        return f;
    }

    private java.util.concurrent.CompletableFuture<RunState> settledFuture(RunId runId) {
        return settled.computeIfAbsent(runId, r -> new java.util.concurrent.CompletableFuture<>());
    }

    /** The latest state of a run in progress (including events not yet stored): what its next event follows. */
    private Optional<RunState> latest(RunId runId) {
        Live l = live.get(runId);
        return l != null ? Optional.of(l.state()) : stateOf(runId);
    }

    public Optional<EdgeStore.StoredRun> stored(RunId runId) {
        Live l = visible.get(runId);
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
