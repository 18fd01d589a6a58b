package ai.auraison.zenoh;

import ai.auraison.zenoh.internal.Declaration;
import ai.auraison.zenoh.internal.Declaration.DeclareFinal;
import ai.auraison.zenoh.internal.Declaration.DeclareKeyExpr;
import ai.auraison.zenoh.internal.Declaration.DeclareQueryable;
import ai.auraison.zenoh.internal.Declaration.DeclareSubscriber;
import ai.auraison.zenoh.internal.Declaration.DeclareToken;
import ai.auraison.zenoh.internal.Declaration.UndeclareKeyExpr;
import ai.auraison.zenoh.internal.Declaration.UndeclareQueryable;
import ai.auraison.zenoh.internal.Declaration.UndeclareSubscriber;
import ai.auraison.zenoh.internal.Declaration.UndeclareToken;
import ai.auraison.zenoh.internal.Endpoint;
import ai.auraison.zenoh.internal.NetworkMessage;
import ai.auraison.zenoh.internal.NetworkMessage.Declare;
import ai.auraison.zenoh.internal.NetworkMessage.Del;
import ai.auraison.zenoh.internal.NetworkMessage.Err;
import ai.auraison.zenoh.internal.NetworkMessage.Interest;
import ai.auraison.zenoh.internal.NetworkMessage.Push;
import ai.auraison.zenoh.internal.NetworkMessage.PushBody;
import ai.auraison.zenoh.internal.NetworkMessage.Put;
import ai.auraison.zenoh.internal.NetworkMessage.QueryBody;
import ai.auraison.zenoh.internal.NetworkMessage.Request;
import ai.auraison.zenoh.internal.NetworkMessage.Response;
import ai.auraison.zenoh.internal.NetworkMessage.ResponseFinal;
import ai.auraison.zenoh.internal.Transport;
import ai.auraison.zenoh.internal.TransportMessage;
import ai.auraison.zenoh.internal.WireExpr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Zenoh session in client mode: one link to a router, over which it publishes, subscribes, queries, answers queries
 * and exchanges liveliness tokens.
 *
 * <p>When the link is lost the session reports {@link SessionStatus#RECONNECTING}, retries the configured endpoints
 * with exponential backoff, and once connected again re-declares every subscriber, queryable, publisher, querier,
 * token and liveliness subscriber before reporting {@link SessionStatus#CONNECTED}. Meanwhile puts are dropped (as
 * Zenoh drops data it cannot route) and gets end at once with no reply; nothing throws because the link is down.
 *
 * <p>Thread-safe; every method may be called from platform or virtual threads. Subscriber and reply callbacks run on
 * the link's receive thread; query callbacks run each on a virtual thread. Close it to release its threads.
 */
public final class Session implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("ai.auraison.zenoh.session");

    /** Declarations and interests travel on the control priority with congestion control block. */
    private static final int CONTROL_QOS = NetworkMessage.qos(0, true, false);

    private static final int REQUEST_QOS = NetworkMessage.qos(Priority.DATA.value(), true, false);

    private final Config config;
    private final ZenohId zid;
    private final List<Endpoint> endpoints;
    private final ScheduledExecutorService timer;
    private final Transport.Config transportConfig;

    /** Guards declaration changes and link replacement, so a re-declaration never races a new declaration. */
    private final ReentrantLock state = new ReentrantLock();

    private final Condition stateChanged = state.newCondition();
    private volatile Transport link;
    private volatile SessionStatus status = SessionStatus.RECONNECTING;
    private volatile boolean closing;
    private final List<Consumer<SessionStatus>> statusListeners = new CopyOnWriteArrayList<>();

    private final AtomicLong entityIds = new AtomicLong(1);
    private final AtomicInteger exprIds = new AtomicInteger(1);
    private final AtomicLong requestIds = new AtomicLong(1);
    private final AtomicLong interestIds = new AtomicLong(1);

    private final Map<Integer, String> localExprs = new ConcurrentHashMap<>();
    private final Map<Integer, String> remoteExprs = new ConcurrentHashMap<>();
    private final Map<String, KeyExpr> keyCache = new ConcurrentHashMap<>();
    private volatile Entry[] subscribers = {};
    private volatile QueryableEntry[] queryables = {};
    private final Map<Long, KeyExpr> tokens = new LinkedHashMap<>();
    private volatile LivelinessEntry[] livelinessSubscribers = {};
    private final Map<Long, String> remoteTokens = new ConcurrentHashMap<>();
    private final Map<Long, GetCollector> gets = new ConcurrentHashMap<>();
    private final Map<Long, GetCollector> livelinessGets = new ConcurrentHashMap<>();

    private record Entry(long id, KeyExpr keyExpr, Handler<Sample, ?> handler) {}

    private record QueryableEntry(long id, KeyExpr keyExpr, boolean complete, Handler<Query, ?> handler) {}

    /** A liveliness subscriber; its token sets are touched only by the receive thread and re-declaration. */
    private static final class LivelinessEntry {
        final long interestId;
        final KeyExpr keyExpr;
        final Handler<Sample, ?> handler;
        final boolean history;
        final Set<String> alive = ConcurrentHashMap.newKeySet();
        volatile Set<String> reconciling;

        LivelinessEntry(long interestId, KeyExpr keyExpr, Handler<Sample, ?> handler, boolean history) {
            this.interestId = interestId;
            this.keyExpr = keyExpr;
            this.handler = handler;
            this.history = history;
        }
    }

    private Session(Config config) {
        this.config = config;
        this.zid = config.id() != null ? ZenohId.parse(config.id()) : ZenohId.random();
        this.endpoints = config.connectEndpoints().stream().map(Endpoint::parse).toList();
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("zenoh-timer-" + zid).factory());
        this.transportConfig = new Transport.Config(
                zid,
                config.mode().equals("peer") ? TransportMessage.PEER : TransportMessage.CLIENT,
                config.lease(),
                config.qos(),
                config.openTimeout(),
                config.maxMessageSize(),
                config.keepAliveDivisor());
    }

    static Session open(Config config) throws ZError {
        Session session = new Session(config);
        long deadline = config.connectTimeout().isNegative()
                ? Long.MAX_VALUE
                : System.nanoTime() + config.connectTimeout().toNanos();
        long backoff = config.retryInitial().toMillis();
        List<String> failures = new ArrayList<>();
        while (true) {
            for (Endpoint endpoint : session.endpoints) {
                try {
                    session.install(session.connect(endpoint));
                    return session;
                } catch (java.io.IOException e) {
                    failures.add(endpoint + ": " + e.getMessage());
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                session.close();
                throw new ZError("could not connect to any of " + session.endpoints + " within "
                        + config.connectTimeout() + ": "
                        + String.join(
                                "; ",
                                failures.subList(
                                        Math.max(0, failures.size() - session.endpoints.size()), failures.size())));
            }
            try {
                Thread.sleep(Math.min(backoff, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                session.close();
                throw new ZError("interrupted while connecting");
            }
            backoff = Math.min(
                    (long) (backoff * config.retryFactor()), config.retryMax().toMillis());
        }
    }

    /** This session's Zenoh id. */
    public ZenohId zid() {
        return zid;
    }

    /** The id of the router this session is connected to, or empty while reconnecting. */
    public Optional<ZenohId> routerZid() {
        Transport current = link;
        return current == null ? Optional.empty() : Optional.of(current.remoteZid());
    }

    public Config config() {
        return config;
    }

    public SessionStatus status() {
        return status;
    }

    /** Calls {@code listener} on every status change (from the thread that detected it). */
    public void addStatusListener(Consumer<SessionStatus> listener) {
        statusListeners.add(listener);
    }

    public void removeStatusListener(Consumer<SessionStatus> listener) {
        statusListeners.remove(listener);
    }

    public Liveliness liveliness() {
        return new Liveliness(this);
    }

    // ------------------------------------------------------------------------------------------------ link

    private Transport connect(Endpoint endpoint) throws java.io.IOException {
        Transport[] self = new Transport[1];
        Transport transport = Transport.open(
                endpoint,
                transportConfig,
                new Transport.Listener() {
                    @Override
                    public void onMessage(NetworkMessage message) {
                        dispatch(message);
                    }

                    @Override
                    public void onClosed(String reason) {
                        linkLost(self[0], reason);
                    }
                },
                timer);
        self[0] = transport;
        if (!transport.isOpen()) throw new java.io.IOException("the link closed right after the handshake");
        return transport;
    }

    /** Makes {@code transport} the session's link: re-declares everything on it first. */
    private void install(Transport transport) {
        state.lock();
        try {
            if (closing) {
                transport.close();
                return;
            }
            for (Map.Entry<Integer, String> e : localExprs.entrySet()) {
                declare(transport, new DeclareKeyExpr(e.getKey(), WireExpr.of(e.getValue())));
            }
            for (Entry s : subscribers) {
                declare(
                        transport,
                        new DeclareSubscriber(s.id(), WireExpr.of(s.keyExpr().toString())));
            }
            for (QueryableEntry q : queryables) {
                declare(
                        transport,
                        new DeclareQueryable(q.id(), WireExpr.of(q.keyExpr().toString()), q.complete(), 0));
            }
            for (Map.Entry<Long, KeyExpr> t : tokens.entrySet()) {
                declare(
                        transport,
                        new DeclareToken(t.getKey(), WireExpr.of(t.getValue().toString())));
            }
            for (LivelinessEntry l : livelinessSubscribers) {
                l.reconciling = new HashSet<>();
                interest(transport, l.interestId, Interest.MODE_CURRENT_FUTURE, l.keyExpr);
            }
            link = transport;
            stateChanged.signalAll();
        } finally {
            state.unlock();
        }
        if (transport.isOpen()) setStatus(SessionStatus.CONNECTED);
    }

    private void linkLost(Transport transport, String reason) {
        state.lock();
        try {
            if (transport == null || link != transport) return;
            link = null;
            remoteExprs.clear();
            remoteTokens.clear();
            keyCache.clear();
        } finally {
            state.unlock();
        }
        for (GetCollector get : List.copyOf(gets.values())) get.finish();
        for (GetCollector get : List.copyOf(livelinessGets.values())) get.finish();
        if (closing) return;
        LOG.warn("lost the link to the router ({}); reconnecting", reason);
        setStatus(SessionStatus.RECONNECTING);
        Thread.ofVirtual().name("zenoh-reconnect-" + zid).start(this::reconnect);
    }

    private void reconnect() {
        long backoff = config.retryInitial().toMillis();
        while (!closing) {
            for (Endpoint endpoint : endpoints) {
                if (closing) return;
                try {
                    Transport transport = connect(endpoint);
                    install(transport);
                    LOG.info("reconnected to {}", endpoint);
                    return;
                } catch (java.io.IOException e) {
                    LOG.debug("reconnection to {} failed: {}", endpoint, e.getMessage());
                }
            }
            state.lock();
            try {
                if (!closing) stateChanged.await(backoff, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } finally {
                state.unlock();
            }
            backoff = Math.min(
                    (long) (backoff * config.retryFactor()), config.retryMax().toMillis());
        }
    }

    private void setStatus(SessionStatus next) {
        if (status == next) return;
        status = next;
        for (Consumer<SessionStatus> listener : statusListeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.error("a status listener failed", e);
            }
        }
    }

    private static void declare(Transport transport, Declaration body) {
        transport.send(new Declare(-1, CONTROL_QOS, null, 0, body), true, 0, true, true);
    }

    private void declare(Declaration body) {
        Transport current = link;
        if (current != null) declare(current, body);
    }

    private static void interest(Transport transport, long id, int mode, KeyExpr keyExpr) {
        int options = mode == Interest.MODE_FINAL ? 0 : Interest.KEYEXPRS | Interest.TOKENS;
        WireExpr key = mode == Interest.MODE_FINAL ? null : WireExpr.of(keyExpr.toString());
        transport.send(new Interest(id, mode, options, key, CONTROL_QOS, null, 0), true, 0, true, true);
    }

    private void ensureOpen() throws ZError {
        if (closing) throw new ZError("the session is closed");
    }

    // -------------------------------------------------------------------------------------------- publishing

    public void put(KeyExpr keyExpr, ZBytes payload) throws ZError {
        put(keyExpr, payload, PutOptions.defaults());
    }

    public void put(KeyExpr keyExpr, String payload) throws ZError {
        put(keyExpr, ZBytes.from(payload), PutOptions.defaults());
    }

    /** Publishes {@code payload} on {@code keyExpr} to the router and to this session's own subscribers. */
    public void put(KeyExpr keyExpr, ZBytes payload, PutOptions options) throws ZError {
        publish(keyExpr, 0, payload, SampleKind.PUT, options);
    }

    public void delete(KeyExpr keyExpr) throws ZError {
        delete(keyExpr, PutOptions.defaults());
    }

    public void delete(KeyExpr keyExpr, PutOptions options) throws ZError {
        publish(keyExpr, 0, ZBytes.EMPTY, SampleKind.DELETE, options);
    }

    void publish(KeyExpr keyExpr, int exprId, ZBytes payload, SampleKind kind, PutOptions options) throws ZError {
        ensureOpen();
        Priority priority = options.priority() == null ? Priority.DATA : options.priority();
        CongestionControl cc =
                options.congestionControl() == null ? CongestionControl.DROP : options.congestionControl();
        boolean reliable = options.reliability() != Reliability.BEST_EFFORT;
        Transport current = link;
        if (current != null) {
            PushBody body = kind == SampleKind.PUT
                    ? new Put(options.timestamp(), options.encoding(), null, options.attachment(), List.of(), payload)
                    : new Del(options.timestamp(), null, options.attachment(), List.of());
            WireExpr key = exprId != 0 ? new WireExpr(exprId, "", true) : WireExpr.of(keyExpr.toString());
            int qos = NetworkMessage.qos(priority.value(), cc == CongestionControl.BLOCK, options.express());
            current.send(
                    new Push(key, qos, null, 0, null, body),
                    reliable,
                    priority.value(),
                    cc == CongestionControl.BLOCK,
                    options.express());
        }
        Entry[] local = subscribers;
        if (local.length == 0) return;
        Sample sample = null;
        for (Entry s : local) {
            if (!s.keyExpr().intersects(keyExpr)) continue;
            if (sample == null) {
                sample = new Sample(
                        keyExpr,
                        payload,
                        options.encoding() == null ? Encoding.ZENOH_BYTES : options.encoding(),
                        kind,
                        options.timestamp(),
                        options.attachment(),
                        priority,
                        cc,
                        options.express());
            }
            deliver(s.handler(), sample);
        }
    }

    public Publisher declarePublisher(KeyExpr keyExpr) throws ZError {
        return declarePublisher(keyExpr, PublisherOptions.defaults());
    }

    /** Declares a publisher; its key expression is declared to the router once and re-declared after reconnection. */
    public Publisher declarePublisher(KeyExpr keyExpr, PublisherOptions options) throws ZError {
        return new Publisher(this, keyExpr, options, declareExpr(keyExpr));
    }

    private int declareExpr(KeyExpr keyExpr) throws ZError {
        state.lock();
        try {
            ensureOpen();
            int id = exprIds.getAndIncrement();
            if (id > 0xFFFF) throw new ZError("too many declared key expressions");
            localExprs.put(id, keyExpr.toString());
            declare(new DeclareKeyExpr(id, WireExpr.of(keyExpr.toString())));
            return id;
        } finally {
            state.unlock();
        }
    }

    void undeclareExpr(int id) {
        state.lock();
        try {
            if (localExprs.remove(id) != null && !closing) declare(new UndeclareKeyExpr(id));
        } finally {
            state.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------- subscribing

    /** A handler that calls {@code callback} and has no receiver. */
    static <T> Handler<T, Void> handlerOf(Callback<T> callback) {
        return new Handler<>() {
            @Override
            public void handle(T value) {
                callback.run(value);
            }

            @Override
            public Void receiver() {
                return null;
            }

            @Override
            public void onClose() {}
        };
    }

    public Subscriber<Void> declareSubscriber(KeyExpr keyExpr, Callback<Sample> callback) throws ZError {
        return declareSubscriber(keyExpr, handlerOf(callback));
    }

    /** Subscribes with a queue that ends with an empty Optional when the subscriber is closed. */
    public Subscriber<BlockingQueue<Optional<Sample>>> declareSubscriber(KeyExpr keyExpr) throws ZError {
        return declareSubscriber(keyExpr, new BlockingQueueHandler<>());
    }

    public <R> Subscriber<R> declareSubscriber(KeyExpr keyExpr, Handler<Sample, R> handler) throws ZError {
        long id;
        state.lock();
        try {
            ensureOpen();
            id = entityIds.getAndIncrement();
            Entry entry = new Entry(id, keyExpr, handler);
            Entry[] next = Arrays.copyOf(subscribers, subscribers.length + 1);
            next[next.length - 1] = entry;
            subscribers = next;
            declare(new DeclareSubscriber(id, WireExpr.of(keyExpr.toString())));
        } finally {
            state.unlock();
        }
        long declared = id;
        return new Subscriber<>(keyExpr, handler.receiver(), () -> undeclareSubscriber(declared));
    }

    private void undeclareSubscriber(long id) {
        Entry removed = null;
        state.lock();
        try {
            List<Entry> kept = new ArrayList<>();
            for (Entry e : subscribers) {
                if (e.id() == id) removed = e;
                else kept.add(e);
            }
            subscribers = kept.toArray(Entry[]::new);
            if (removed != null && !closing) declare(new UndeclareSubscriber(id, WireExpr.NONE));
        } finally {
            state.unlock();
        }
        if (removed != null) closeHandler(removed.handler());
    }

    // ------------------------------------------------------------------------------------------------ queries

    public Queryable<Void> declareQueryable(KeyExpr keyExpr, Callback<Query> callback) throws ZError {
        return declareQueryable(keyExpr, handlerOf(callback), QueryableOptions.defaults());
    }

    public Queryable<Void> declareQueryable(KeyExpr keyExpr, Callback<Query> callback, QueryableOptions options)
            throws ZError {
        return declareQueryable(keyExpr, handlerOf(callback), options);
    }

    /** Declares a queryable whose queries arrive in a queue; each query taken must be closed. */
    public Queryable<BlockingQueue<Optional<Query>>> declareQueryable(KeyExpr keyExpr) throws ZError {
        return declareQueryable(keyExpr, new BlockingQueueHandler<>(), QueryableOptions.defaults());
    }

    public <R> Queryable<R> declareQueryable(KeyExpr keyExpr, Handler<Query, R> handler, QueryableOptions options)
            throws ZError {
        long id;
        state.lock();
        try {
            ensureOpen();
            id = entityIds.getAndIncrement();
            QueryableEntry entry = new QueryableEntry(id, keyExpr, options.complete(), handler);
            QueryableEntry[] next = Arrays.copyOf(queryables, queryables.length + 1);
            next[next.length - 1] = entry;
            queryables = next;
            declare(new DeclareQueryable(id, WireExpr.of(keyExpr.toString()), options.complete(), 0));
        } finally {
            state.unlock();
        }
        long declared = id;
        return new Queryable<>(keyExpr, handler.receiver(), () -> undeclareQueryable(declared));
    }

    private void undeclareQueryable(long id) {
        QueryableEntry removed = null;
        state.lock();
        try {
            List<QueryableEntry> kept = new ArrayList<>();
            for (QueryableEntry e : queryables) {
                if (e.id() == id) removed = e;
                else kept.add(e);
            }
            queryables = kept.toArray(QueryableEntry[]::new);
            if (removed != null && !closing) declare(new UndeclareQueryable(id, WireExpr.NONE));
        } finally {
            state.unlock();
        }
        if (removed != null) closeHandler(removed.handler());
    }

    /** Queries {@code selector}; replies arrive in the returned queue, which ends with an empty Optional. */
    public BlockingQueue<Optional<Reply>> get(Selector selector) throws ZError {
        return get(selector, new BlockingQueueHandler<>(), GetOptions.defaults());
    }

    public BlockingQueue<Optional<Reply>> get(Selector selector, GetOptions options) throws ZError {
        return get(selector, new BlockingQueueHandler<>(), options);
    }

    public void get(Selector selector, Callback<Reply> callback, GetOptions options) throws ZError {
        get(selector, handlerOf(callback), options);
    }

    public BlockingQueue<Optional<Reply>> get(KeyExpr keyExpr) throws ZError {
        return get(Selector.of(keyExpr));
    }

    /**
     * Queries {@code selector}: the matching queryables (of other sessions, through the router, and of this
     * session) answer; {@code handler} gets each reply and is closed when the last queryable is done or the timeout
     * passes. Returns the handler's receiver.
     */
    public <R> R get(Selector selector, Handler<Reply, R> handler, GetOptions options) throws ZError {
        query(selector, 0, options, handler);
        return handler.receiver();
    }

    public Querier declareQuerier(KeyExpr keyExpr) throws ZError {
        return declareQuerier(keyExpr, GetOptions.defaults());
    }

    /** Declares a querier with fixed get settings (target, consolidation, timeout, priority). */
    public Querier declareQuerier(KeyExpr keyExpr, GetOptions options) throws ZError {
        return new Querier(this, keyExpr, options, declareExpr(keyExpr));
    }

    void query(Selector selector, int exprId, GetOptions options, Handler<Reply, ?> handler) throws ZError {
        ensureOpen();
        long id = requestIds.getAndIncrement() & 0xFFFF_FFFFL;
        Duration timeout = options.timeout() != null ? options.timeout() : config.queryTimeout();
        ConsolidationMode mode = options.consolidation() == null ? ConsolidationMode.AUTO : options.consolidation();
        if (mode == ConsolidationMode.AUTO && selector.parameters().contains("_time=")) mode = ConsolidationMode.NONE;
        List<QueryableEntry> local = new ArrayList<>();
        for (QueryableEntry q : queryables) {
            if (!q.keyExpr().intersects(selector.keyExpr())) continue;
            if (options.target() == QueryTarget.ALL_COMPLETE && !q.complete()) continue;
            local.add(q);
        }
        Transport current = link;
        int finals = (current != null ? 1 : 0) + (local.isEmpty() ? 0 : 1);
        GetCollector collector =
                new GetCollector(mode, handler::handle, handler::onClose, () -> gets.remove(id), Math.max(1, finals));
        gets.put(id, collector);
        if (finals == 0) {
            collector.finish();
            return;
        }
        if (!local.isEmpty()) {
            InboundQuery inbound = new InboundQuery(this, id, null, collector, local.size());
            for (QueryableEntry q : local) {
                dispatchQuery(
                        q,
                        new Query(
                                inbound,
                                q.id(),
                                selector.keyExpr(),
                                selector.parameters(),
                                options.payload(),
                                options.payload() == null ? null : encodingOr(options.encoding()),
                                options.attachment()));
            }
        }
        if (current != null) {
            int target = switch (options.target() == null ? QueryTarget.BEST_MATCHING : options.target()) {
                case BEST_MATCHING -> NetworkMessage.TARGET_BEST_MATCHING;
                case ALL -> NetworkMessage.TARGET_ALL;
                case ALL_COMPLETE -> NetworkMessage.TARGET_ALL_COMPLETE;
            };
            Priority priority = options.priority() == null ? Priority.DATA : options.priority();
            boolean block = options.congestionControl() != CongestionControl.DROP;
            QueryBody body = new QueryBody(
                    consolidation(mode),
                    selector.parameters(),
                    null,
                    options.payload() == null ? null : encodingOr(options.encoding()),
                    options.payload(),
                    options.attachment(),
                    List.of());
            WireExpr key = exprId != 0
                    ? new WireExpr(exprId, "", true)
                    : WireExpr.of(selector.keyExpr().toString());
            Request request = new Request(
                    id,
                    key,
                    NetworkMessage.qos(priority.value(), block, options.express()),
                    null,
                    0,
                    target,
                    Request.ABSENT,
                    Math.max(1, timeout.toMillis()),
                    null,
                    body);
            if (!current.send(request, true, priority.value(), block, true)) collector.finalReceived();
        }
        collector.timeout(timer.schedule(collector::finish, timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    private static Encoding encodingOr(Encoding encoding) {
        return encoding == null ? Encoding.ZENOH_BYTES : encoding;
    }

    private static int consolidation(ConsolidationMode mode) {
        return switch (mode) {
            case AUTO -> 0;
            case NONE -> 1;
            case MONOTONIC -> 2;
            case LATEST -> 3;
        };
    }

    private void dispatchQuery(QueryableEntry q, Query query) {
        Handler<Query, ?> handler = q.handler();
        if (handler.receiver() != null) {
            try {
                handler.handle(query);
            } catch (RuntimeException e) {
                LOG.error("a query handler failed", e);
                query.close();
            }
            return;
        }
        Thread.ofVirtual().name("zenoh-query-" + q.keyExpr()).start(() -> {
            try {
                handler.handle(query);
            } catch (RuntimeException e) {
                LOG.error("a query callback failed", e);
            } finally {
                query.close();
            }
        });
    }

    // --------------------------------------------------------------------------------------------- liveliness

    LivelinessToken declareToken(KeyExpr keyExpr) throws ZError {
        long id;
        state.lock();
        try {
            ensureOpen();
            id = entityIds.getAndIncrement();
            tokens.put(id, keyExpr);
            declare(new DeclareToken(id, WireExpr.of(keyExpr.toString())));
        } finally {
            state.unlock();
        }
        long declared = id;
        return new LivelinessToken(keyExpr, () -> {
            state.lock();
            try {
                if (tokens.remove(declared) != null && !closing) {
                    declare(new UndeclareToken(declared, WireExpr.NONE));
                }
            } finally {
                state.unlock();
            }
        });
    }

    <R> Subscriber<R> declareLivelinessSubscriber(KeyExpr keyExpr, Handler<Sample, R> handler, boolean history)
            throws ZError {
        LivelinessEntry entry;
        state.lock();
        try {
            ensureOpen();
            entry = new LivelinessEntry(interestIds.getAndIncrement(), keyExpr, handler, history);
            LivelinessEntry[] next = Arrays.copyOf(livelinessSubscribers, livelinessSubscribers.length + 1);
            next[next.length - 1] = entry;
            livelinessSubscribers = next;
            Transport current = link;
            if (current != null) {
                interest(
                        current,
                        entry.interestId,
                        history ? Interest.MODE_CURRENT_FUTURE : Interest.MODE_FUTURE,
                        keyExpr);
            }
        } finally {
            state.unlock();
        }
        LivelinessEntry declared = entry;
        return new Subscriber<>(keyExpr, handler.receiver(), () -> {
            boolean removed;
            state.lock();
            try {
                List<LivelinessEntry> kept = new ArrayList<>(Arrays.asList(livelinessSubscribers));
                removed = kept.remove(declared);
                livelinessSubscribers = kept.toArray(LivelinessEntry[]::new);
                Transport current = link;
                if (removed && current != null && !closing) {
                    interest(current, declared.interestId, Interest.MODE_FINAL, keyExpr);
                }
            } finally {
                state.unlock();
            }
            if (removed) closeHandler(declared.handler);
        });
    }

    void livelinessGet(KeyExpr keyExpr, Handler<Reply, ?> handler, Duration timeout) throws ZError {
        ensureOpen();
        long id = interestIds.getAndIncrement();
        Duration wait = timeout != null ? timeout : config.queryTimeout();
        GetCollector collector = new GetCollector(
                ConsolidationMode.NONE, handler::handle, handler::onClose, () -> livelinessGets.remove(id), 1);
        livelinessGets.put(id, collector);
        Transport current = link;
        if (current == null) {
            collector.finish();
            return;
        }
        interest(current, id, Interest.MODE_CURRENT, keyExpr);
        collector.timeout(timer.schedule(collector::finish, wait.toMillis(), TimeUnit.MILLISECONDS));
    }

    // ---------------------------------------------------------------------------------------------- receiving

    private void dispatch(NetworkMessage message) {
        switch (message) {
            case Push p -> onPush(p);
            case Request r -> onRequest(r);
            case Response r -> onResponse(r);
            case ResponseFinal f -> {
                GetCollector collector = gets.get(f.requestId());
                if (collector != null) collector.finalReceived();
            }
            case Declare d -> onDeclare(d);
            case Interest i -> {
                // a router asks a client for nothing it has not declared; answer current interests with a final
                if (i.mode() == Interest.MODE_CURRENT || i.mode() == Interest.MODE_CURRENT_FUTURE) {
                    Transport current = link;
                    if (current != null) {
                        current.send(
                                new Declare(i.id(), CONTROL_QOS, null, 0, new DeclareFinal()), true, 0, true, true);
                    }
                }
            }
            case NetworkMessage.Oam o -> {}
        }
    }

    /** The key a wire expression names, or null when it refers to an unknown declared id. */
    private String resolve(WireExpr key) {
        if (key.scope() == 0) return key.suffix();
        String prefix = key.senderMapping() ? remoteExprs.get(key.scope()) : localExprs.get(key.scope());
        if (prefix == null) {
            LOG.debug("unknown key expression id {}", key.scope());
            return null;
        }
        return key.hasSuffix() ? prefix + key.suffix() : prefix;
    }

    private KeyExpr keyExpr(String key) {
        if (key == null) return null;
        KeyExpr cached = keyCache.get(key);
        if (cached != null) return cached;
        KeyExpr parsed;
        try {
            parsed = KeyExpr.autocanonize(key);
        } catch (ZError e) {
            LOG.debug("dropped a message with an invalid key expression: {}", key);
            return null;
        }
        if (keyCache.size() > 4096) keyCache.clear();
        keyCache.put(key, parsed);
        return parsed;
    }

    private static Sample sample(KeyExpr key, PushBody body, int qos) {
        Priority priority = Priority.fromValue(NetworkMessage.priorityOf(qos));
        CongestionControl cc = (qos & NetworkMessage.QOS_BLOCK) != 0 ? CongestionControl.BLOCK : CongestionControl.DROP;
        boolean express = (qos & NetworkMessage.QOS_EXPRESS) != 0;
        return switch (body) {
            case Put put ->
                new Sample(
                        key,
                        put.payload(),
                        encodingOr(put.encoding()),
                        SampleKind.PUT,
                        put.timestamp(),
                        put.attachment(),
                        priority,
                        cc,
                        express);
            case Del del ->
                new Sample(
                        key,
                        ZBytes.EMPTY,
                        Encoding.ZENOH_BYTES,
                        SampleKind.DELETE,
                        del.timestamp(),
                        del.attachment(),
                        priority,
                        cc,
                        express);
        };
    }

    private void onPush(Push push) {
        Entry[] subs = subscribers;
        if (subs.length == 0) return;
        KeyExpr key = keyExpr(resolve(push.key()));
        if (key == null) return;
        Sample sample = null;
        for (Entry s : subs) {
            if (!s.keyExpr().intersects(key)) continue;
            if (sample == null) sample = sample(key, push.body(), push.qos());
            deliver(s.handler(), sample);
        }
    }

    private void onRequest(Request request) {
        Transport via = link;
        if (via == null) return;
        KeyExpr key = keyExpr(resolve(request.key()));
        List<QueryableEntry> matching = new ArrayList<>();
        if (key != null) {
            for (QueryableEntry q : queryables) {
                if (!q.keyExpr().intersects(key)) continue;
                if (request.target() == NetworkMessage.TARGET_ALL_COMPLETE && !q.complete()) continue;
                matching.add(q);
            }
        }
        if (matching.isEmpty()) {
            via.send(new ResponseFinal(request.id(), REQUEST_QOS, null), true, Priority.DATA.value(), true, true);
            return;
        }
        QueryBody body = request.body();
        InboundQuery inbound = new InboundQuery(this, request.id(), via, null, matching.size());
        for (QueryableEntry q : matching) {
            dispatchQuery(
                    q,
                    new Query(
                            inbound,
                            q.id(),
                            key,
                            body.parameters(),
                            body.value(),
                            body.value() == null ? null : encodingOr(body.valueEncoding()),
                            body.attachment()));
        }
    }

    private void onResponse(Response response) {
        GetCollector collector = gets.get(response.requestId());
        if (collector == null) return;
        ZenohId replier =
                response.responder() == null ? null : response.responder().zid();
        switch (response.body()) {
            case NetworkMessage.Reply reply -> {
                KeyExpr key = keyExpr(resolve(response.key()));
                if (key != null) collector.add(new Reply.Success(sample(key, reply.body(), response.qos()), replier));
            }
            case Err err -> collector.add(new Reply.Error(err.payload(), encodingOr(err.encoding()), replier));
        }
    }

    private void onDeclare(Declare declare) {
        switch (declare.body()) {
            case DeclareKeyExpr d -> {
                String key = resolve(d.key());
                if (key != null) remoteExprs.put(d.id(), key);
            }
            case UndeclareKeyExpr d -> remoteExprs.remove(d.id());
            case DeclareToken d -> onToken(declare.interestId(), d.id(), keyExpr(resolve(d.key())), true);
            case UndeclareToken d -> {
                String key = d.key().equals(WireExpr.NONE) ? remoteTokens.remove(d.id()) : resolve(d.key());
                remoteTokens.remove(d.id());
                onToken(-1, d.id(), keyExpr(key), false);
            }
            case DeclareFinal f -> onFinal(declare.interestId());
            default -> {
                // subscriber and queryable declarations only arrive for interests this client never sends
            }
        }
    }

    private void onToken(long interestId, long tokenId, KeyExpr key, boolean alive) {
        if (key == null) return;
        if (interestId >= 0) {
            GetCollector get = livelinessGets.get(interestId);
            if (get != null) {
                get.add(new Reply.Success(livelinessSample(key, SampleKind.PUT), null));
                return;
            }
        }
        if (alive) remoteTokens.put(tokenId, key.toString());
        for (LivelinessEntry l : livelinessSubscribers) {
            if (interestId >= 0 && l.interestId != interestId) continue;
            if (!l.keyExpr.intersects(key)) continue;
            String name = key.toString();
            if (alive) {
                Set<String> reconciling = l.reconciling;
                if (reconciling != null && interestId == l.interestId) reconciling.add(name);
                if (l.alive.add(name)) deliver(l.handler, livelinessSample(key, SampleKind.PUT));
            } else if (l.alive.remove(name)) {
                deliver(l.handler, livelinessSample(key, SampleKind.DELETE));
            }
        }
    }

    private void onFinal(long interestId) {
        if (interestId < 0) return;
        GetCollector get = livelinessGets.get(interestId);
        if (get != null) {
            get.finalReceived();
            return;
        }
        for (LivelinessEntry l : livelinessSubscribers) {
            if (l.interestId != interestId) continue;
            Set<String> reconciling = l.reconciling;
            l.reconciling = null;
            if (reconciling == null) continue;
            for (String name : List.copyOf(l.alive)) {
                if (!reconciling.contains(name) && l.alive.remove(name)) {
                    KeyExpr key = keyExpr(name);
                    if (key != null) deliver(l.handler, livelinessSample(key, SampleKind.DELETE));
                }
            }
        }
    }

    private static Sample livelinessSample(KeyExpr key, SampleKind kind) {
        return new Sample(
                key,
                ZBytes.EMPTY,
                Encoding.ZENOH_BYTES,
                kind,
                null,
                null,
                Priority.DATA,
                CongestionControl.BLOCK,
                false);
    }

    private static <T> void deliver(Handler<T, ?> handler, T value) {
        try {
            handler.handle(value);
        } catch (RuntimeException e) {
            LOG.error("a handler failed", e);
        }
    }

    private static void closeHandler(Handler<?, ?> handler) {
        try {
            handler.onClose();
        } catch (RuntimeException e) {
            LOG.error("a handler failed to close", e);
        }
    }

    // ---------------------------------------------------------------------------------------------- closing

    /**
     * Closes the session: ends pending gets and the handlers' streams, closes the link and stops the session's
     * threads. Idempotent.
     */
    @Override
    public void close() {
        Transport current;
        state.lock();
        try {
            if (closing) return;
            closing = true;
            current = link;
            link = null;
            stateChanged.signalAll();
        } finally {
            state.unlock();
        }
        for (GetCollector get : List.copyOf(gets.values())) get.finish();
        for (GetCollector get : List.copyOf(livelinessGets.values())) get.finish();
        if (current != null) current.close();
        for (Entry s : subscribers) closeHandler(s.handler());
        for (QueryableEntry q : queryables) closeHandler(q.handler());
        for (LivelinessEntry l : livelinessSubscribers) closeHandler(l.handler);
        subscribers = new Entry[0];
        queryables = new QueryableEntry[0];
        livelinessSubscribers = new LivelinessEntry[0];
        timer.shutdownNow();
        setStatus(SessionStatus.CLOSED);
    }

    @Override
    public String toString() {
        return "Session[" + zid + ", " + status + "]";
    }
}
