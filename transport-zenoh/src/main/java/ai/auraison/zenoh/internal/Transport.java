package ai.auraison.zenoh.internal;

import ai.auraison.zenoh.ZBytes;
import ai.auraison.zenoh.ZenohId;
import ai.auraison.zenoh.internal.NetworkMessage.Push;
import ai.auraison.zenoh.internal.NetworkMessage.Put;
import ai.auraison.zenoh.internal.NetworkMessage.Reply;
import ai.auraison.zenoh.internal.NetworkMessage.Request;
import ai.auraison.zenoh.internal.NetworkMessage.Response;
import ai.auraison.zenoh.internal.TransportMessage.Close;
import ai.auraison.zenoh.internal.TransportMessage.Fragment;
import ai.auraison.zenoh.internal.TransportMessage.Frame;
import ai.auraison.zenoh.internal.TransportMessage.Init;
import ai.auraison.zenoh.internal.TransportMessage.KeepAlive;
import ai.auraison.zenoh.internal.TransportMessage.Open;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Zenoh unicast transport over one TCP link: the INIT/OPEN handshake, per-channel sequence numbers (per priority
 * when the peer negotiates QoS), batching, fragmentation and reassembly, keep-alives and the lease watchdog.
 *
 * <p>Threading: a platform reader thread decodes batches and hands network messages to the {@link Listener} in
 * order; {@link #send} may be called from any thread. A sender that finds no write in progress writes the batch
 * itself (lowest latency); senders arriving meanwhile append to the next batch, which the writing thread flushes
 * before it returns, so concurrent traffic is batched. Any failure (I/O, a malformed batch, lease expiry, a Close from
 * the peer) ends the transport once and is reported through {@link Listener#onClosed}; it never throws into senders.
 */
public final class Transport {

    private static final Logger LOG = LoggerFactory.getLogger("ai.auraison.zenoh.transport");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_READY_BATCHES = 16;
    private static final int FRAGMENT_WRITE_BYTES = 256 * 1024;

    /** Receives what arrives on a transport. Called on the transport's reader thread. */
    public interface Listener {
        void onMessage(NetworkMessage message);

        /** The transport ended; called exactly once, also after a local {@link #close}. */
        void onClosed(String reason);
    }

    /** What this side proposes in the handshake. */
    public record Config(
            ZenohId zid,
            int whatAmI,
            Duration lease,
            boolean qos,
            Duration openTimeout,
            long maxMessageSize,
            int keepAliveDivisor) {}

    private final Socket socket;
    private final OutputStream out;
    private final BatchReader in;
    private final Config config;
    private final Listener listener;
    private final ZenohId remoteZid;
    private final int remoteWhatAmI;
    private final int batchSize;
    private final boolean qos;
    private final long snMask;
    private final long remoteLeaseMillis;

    private final ReentrantLock txLock = new ReentrantLock();
    private final Condition txChanged = txLock.newCondition();
    private final Condition pending = txLock.newCondition();
    private ZWriter batch;
    private int frameKey = -1;
    private final ArrayDeque<ZWriter> ready = new ArrayDeque<>();
    private final ArrayDeque<ZWriter> spare = new ArrayDeque<>();
    private boolean writing;
    private final long[] txSn;
    /** Used only by the thread holding the writer role. */
    private final ZWriter fragmentBuffer;

    private final long[] rxSn;
    private final ZWriter[] defrag;
    private final long[] defragNext;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile String closeReason;
    private volatile long lastTxNanos = System.nanoTime();
    private volatile long lastRxNanos = System.nanoTime();
    private final AtomicLong dropped = new AtomicLong();
    private ScheduledFuture<?> keepAlive;
    private Thread reader;

    private Transport(
            Socket socket,
            BatchReader in,
            Config config,
            Listener listener,
            Init ack,
            Open openAck,
            long initialSn,
            boolean qos) {
        this.socket = socket;
        this.in = in;
        try {
            this.out = socket.getOutputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.config = config;
        this.listener = listener;
        this.remoteZid = ack.zid();
        this.remoteWhatAmI = ack.whatAmI();
        this.batchSize = Math.min(ack.batchSize(), TransportMessage.DEFAULT_BATCH_SIZE);
        this.qos = qos;
        this.snMask = SeqNum.mask(ack.resolution());
        this.remoteLeaseMillis = openAck.leaseMillis();
        int channels = 2 * (qos ? 8 : 1);
        this.txSn = new long[channels];
        this.rxSn = new long[channels];
        this.defrag = new ZWriter[channels];
        this.defragNext = new long[channels];
        for (int i = 0; i < channels; i++) {
            txSn[i] = initialSn;
            rxSn[i] = (openAck.initialSn() - 1) & snMask;
        }
        this.batch = newBatch();
        this.fragmentBuffer = new ZWriter(FRAGMENT_WRITE_BYTES + batchSize);
    }

    /**
     * Connects to {@code endpoint} and runs the handshake. Blocks for at most about {@code config.openTimeout()}.
     *
     * @throws IOException when the link cannot be opened or the peer refuses or botches the handshake
     */
    public static Transport open(Endpoint endpoint, Config config, Listener listener, ScheduledExecutorService timer)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(endpoint.address(), (int) config.openTimeout().toMillis());
            socket.setSoTimeout((int) config.openTimeout().toMillis());
            BatchReader in = new BatchReader(socket.getInputStream());
            OutputStream out = socket.getOutputStream();

            List<Extension> offer = config.qos() ? List.of(Extension.unit(0x1, false)) : List.of();
            Init syn = new Init(
                    false,
                    TransportMessage.PROTOCOL_VERSION,
                    config.whatAmI(),
                    config.zid(),
                    TransportMessage.DEFAULT_RESOLUTION,
                    TransportMessage.DEFAULT_BATCH_SIZE,
                    null,
                    offer);
            writeSingle(out, syn);
            Init ack = expect(readSingle(in), Init.class, endpoint);
            if (!ack.ack()) throw new IOException("expected an InitAck from " + endpoint);
            if (ack.version() != TransportMessage.PROTOCOL_VERSION) {
                throw new IOException("peer " + endpoint + " speaks Zenoh protocol version " + ack.version() + ", not "
                        + TransportMessage.PROTOCOL_VERSION);
            }
            boolean qos = config.qos() && ack.hasExtension(Init.EXT_QOS);
            long mask = SeqNum.mask(ack.resolution());
            long initialSn = (RANDOM.nextLong() & mask) % Math.max(1, mask);
            writeSingle(out, new Open(false, config.lease().toMillis(), initialSn, ack.cookie(), List.of()));
            Open openAck = expect(readSingle(in), Open.class, endpoint);
            if (!openAck.ack()) throw new IOException("expected an OpenAck from " + endpoint);
            socket.setSoTimeout(0);

            Transport transport = new Transport(socket, in, config, listener, ack, openAck, initialSn, qos);
            transport.start(timer);
            return transport;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            if (e instanceof SocketTimeoutException) {
                throw new IOException("no answer from " + endpoint + " within " + config.openTimeout(), e);
            }
            throw e;
        }
    }

    private void start(ScheduledExecutorService timer) {
        reader = Thread.ofPlatform().daemon().name("zenoh-rx-" + remoteZid).unstarted(this::readLoop);
        reader.start();
        Thread.ofPlatform().daemon().name("zenoh-tx-" + remoteZid).start(this::writeLoop);
        long interval = Math.max(10, config.lease().toMillis() / Math.max(1, config.keepAliveDivisor()));
        keepAlive = timer.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    public ZenohId remoteZid() {
        return remoteZid;
    }

    public int remoteWhatAmI() {
        return remoteWhatAmI;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean qos() {
        return qos;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** Messages dropped because the link was congested and the sender asked not to block. */
    public long droppedMessages() {
        return dropped.get();
    }

    // ------------------------------------------------------------------------------------------------------- tx

    private ZWriter newBatch() {
        ZWriter w = spare.poll();
        if (w == null) w = new ZWriter(batchSize);
        w.reset();
        w.u16le(0);
        return w;
    }

    private int laneQos(int lane) {
        return qos ? lane : NetworkMessage.QOS_DEFAULT;
    }

    /**
     * Sends one network message on the channel {@code (reliable, priority)}.
     *
     * @param block whether to wait when the link is congested (otherwise the message is dropped)
     * @param express whether to write at once from the calling thread; otherwise the transport's writer thread
     *     writes it, batched with whatever else is sent meanwhile
     * @return false when the transport is closed or the message was dropped
     */
    public boolean send(NetworkMessage message, boolean reliable, int priority, boolean block, boolean express) {
        if (closed.get()) return false;
        int lane = qos ? (priority & 0x07) : 0;
        int key = (reliable ? 1 : 0) | (lane << 1);
        int maxPayload = batchSize - 2;
        ZWriter large = null;
        ZBytes tail = null;
        if (bulk(message) > maxPayload / 2) {
            large = new ZWriter(256);
            tail = Codec.encodeNetworkLeavingPayload(large, message);
            if (large.size() + length(tail) + 16 <= maxPayload) {
                large = null;
                tail = null;
            }
        }
        txLock.lock();
        try {
            if (closed.get()) return false;
            if (large == null) {
                boolean appended = false;
                while (!appended) {
                    int mark = batch.size();
                    boolean newFrame = frameKey != key;
                    if (newFrame) Codec.encodeFrameHeader(batch, reliable, txSn[key], laneQos(lane));
                    Codec.encodeNetwork(batch, message);
                    if (batch.size() - 2 <= maxPayload) {
                        if (newFrame) {
                            txSn[key] = SeqNum.next(txSn[key], snMask);
                            frameKey = key;
                        }
                        appended = true;
                    } else {
                        batch.truncate(mark);
                        if (mark == 2) {
                            large = new ZWriter(maxPayload * 2);
                            Codec.encodeNetwork(large, message);
                            break;
                        }
                        if (!sealBatch(block)) return false;
                    }
                }
            }
            if (large != null) return sendFragments(large, tail, reliable, key, lane, block);
            if (!writing) {
                if (express) {
                    writing = true;
                    drain();
                } else {
                    pending.signal();
                }
            }
            return !closed.get();
        } finally {
            txLock.unlock();
        }
    }

    /** Bytes of payload a message carries, to route large ones straight to fragmentation. */
    private static int bulk(NetworkMessage message) {
        return switch (message) {
            case Push p when p.body() instanceof Put put -> put.payload().length() + length(put.attachment());
            case Response r
            when r.body() instanceof Reply reply && reply.body() instanceof Put put ->
                put.payload().length() + length(put.attachment());
            case Request r -> length(r.body().value()) + length(r.body().attachment());
            default -> 0;
        };
    }

    private static int length(ZBytes bytes) {
        return bytes == null ? 0 : bytes.length();
    }

    /** Moves the current batch to the ready queue, waiting for room (or dropping) when the queue is full. */
    private boolean sealBatch(boolean block) {
        while (ready.size() >= MAX_READY_BATCHES && batch.size() > 2) {
            if (!writing) {
                writing = true;
                drain();
                continue;
            }
            if (!block) {
                dropped.incrementAndGet();
                return false;
            }
            txChanged.awaitUninterruptibly();
            if (closed.get()) return false;
        }
        if (batch.size() > 2) {
            ready.add(batch);
            batch = newBatch();
        }
        frameKey = -1;
        return true;
    }

    /** The writer thread: writes what non-express senders queued, batching what arrives while it writes. */
    private void writeLoop() {
        txLock.lock();
        try {
            while (!closed.get()) {
                if (writing || (ready.isEmpty() && batch.size() <= 2)) {
                    pending.awaitUninterruptibly();
                    continue;
                }
                writing = true;
                drain();
            }
        } finally {
            txLock.unlock();
        }
    }

    /** Writes out queued batches until none is left. Lock held; {@code writing} set by the caller. */
    private void drain() {
        try {
            while (!closed.get()) {
                ZWriter next = ready.poll();
                if (next == null) {
                    if (batch.size() <= 2) break;
                    next = batch;
                    batch = newBatch();
                    frameKey = -1;
                }
                txLock.unlock();
                IOException failure = null;
                try {
                    writeBatch(next);
                } catch (IOException e) {
                    failure = e;
                } finally {
                    txLock.lock();
                    spare.add(next);
                    txChanged.signalAll();
                }
                if (failure != null) fail("write failed: " + failure.getMessage());
            }
        } finally {
            writing = false;
            txChanged.signalAll();
            // what was appended by non-express senders after the last write is the writer thread's
            if (ready.size() + (batch.size() > 2 ? 1 : 0) > 0) pending.signal();
        }
    }

    /**
     * Sends a message as consecutive fragments: the encoded {@code head}, then the {@code tail} bytes (a put's
     * payload, not copied beforehand; may be null). Lock held on entry and exit.
     */
    private boolean sendFragments(ZWriter head, ZBytes tail, boolean reliable, int key, int lane, boolean block) {
        while (writing) {
            if (!block && ready.size() >= MAX_READY_BATCHES) {
                dropped.incrementAndGet();
                return false;
            }
            txChanged.awaitUninterruptibly();
            if (closed.get()) return false;
        }
        writing = true;
        List<ZWriter> before = new ArrayList<>(ready);
        ready.clear();
        if (batch.size() > 2) {
            before.add(batch);
            batch = newBatch();
        }
        frameKey = -1;
        int chunk = batchSize - 2 - 16;
        int headSize = head.size();
        int size = headSize + length(tail);
        int count = (size + chunk - 1) / chunk;
        long sn = txSn[key];
        for (int i = 0; i < count; i++) txSn[key] = SeqNum.next(txSn[key], snMask);
        txLock.unlock();
        IOException failure = null;
        try {
            for (ZWriter b : before) writeBatch(b);
            // several length-prefixed fragment batches per write: fewer system calls for a large message
            ZWriter out = fragmentBuffer;
            out.reset();
            for (int offset = 0; offset < size; offset += chunk) {
                int length = Math.min(chunk, size - offset);
                int start = out.size();
                out.u16le(0);
                Codec.encodeFragmentHeader(out, reliable, offset + length < size, sn, laneQos(lane), false, false);
                int fromHead = Math.max(0, Math.min(length, headSize - offset));
                if (fromHead > 0) out.bytes(head.array(), offset, fromHead);
                if (length > fromHead) out.bytes(tail, offset + fromHead - headSize, length - fromHead);
                out.putU16le(start, out.size() - start - 2);
                sn = SeqNum.next(sn, snMask);
                if (out.size() >= FRAGMENT_WRITE_BYTES || offset + length >= size) {
                    writeRaw(out);
                    out.reset();
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            txLock.lock();
            spare.addAll(before);
        }
        if (failure != null) fail("write failed: " + failure.getMessage());
        drain();
        return failure == null && !closed.get();
    }

    private void writeBatch(ZWriter w) throws IOException {
        w.putU16le(0, w.size() - 2);
        writeRaw(w);
    }

    /** Writes bytes that already carry their length prefixes. */
    private void writeRaw(ZWriter w) throws IOException {
        out.write(w.array(), 0, w.size());
        lastTxNanos = System.nanoTime();
    }

    private void sendTransport(TransportMessage message) {
        txLock.lock();
        try {
            if (closed.get()) return;
            if (batch.size() + 16 > batchSize) sealBatch(true);
            Codec.encodeTransport(batch, message);
            frameKey = -1;
            if (!writing) {
                writing = true;
                drain();
            }
        } finally {
            txLock.unlock();
        }
    }

    private void tick() {
        if (closed.get()) return;
        long now = System.nanoTime();
        long idleRx = TimeUnit.NANOSECONDS.toMillis(now - lastRxNanos);
        if (idleRx > remoteLeaseMillis) {
            fail("lease expired: nothing received from " + remoteZid + " for " + idleRx + " ms");
            return;
        }
        long interval = config.lease().toMillis() / Math.max(1, config.keepAliveDivisor());
        if (TimeUnit.NANOSECONDS.toMillis(now - lastTxNanos) >= interval / 2) sendTransport(new KeepAlive());
    }

    // ------------------------------------------------------------------------------------------------------- rx

    private void readLoop() {
        String reason = "link closed";
        try {
            while (!closed.get()) {
                int length = in.next();
                lastRxNanos = System.nanoTime();
                ZReader r = new ZReader(in.buffer(), in.offset(), length);
                while (r.hasRemaining()) {
                    String end = handle(Codec.decodeTransport(r));
                    if (end != null) {
                        reason = end;
                        closed.set(true);
                        break;
                    }
                }
            }
        } catch (DecodeException e) {
            reason = "malformed batch from " + remoteZid + ": " + e.getMessage();
            LOG.warn("closing the link: " + reason);
            sendCloseQuietly(Close.INVALID);
        } catch (IOException e) {
            reason = closeReason != null ? closeReason : "link to " + remoteZid + " failed: " + e.getMessage();
        } catch (RuntimeException e) {
            reason = "internal error on the link to " + remoteZid + ": " + e;
            LOG.error(reason, e);
        } finally {
            terminate(closeReason != null ? closeReason : reason);
        }
    }

    /**
     * Cuts the byte stream into batches (2-byte little-endian length, then the batch) straight from its own buffer,
     * so each byte is copied once from the socket and decoded in place. A batch stays valid until the next call.
     */
    static final class BatchReader {
        private final InputStream in;
        private final byte[] buf = new byte[4 * (TransportMessage.DEFAULT_BATCH_SIZE + 2)];
        private int start;
        private int end;
        private int offset;

        BatchReader(InputStream in) {
            this.in = in;
        }

        /** Reads the next batch and returns its length; it starts at {@link #offset()} in {@link #buffer()}. */
        int next() throws IOException {
            fill(2);
            int length = (buf[start] & 0xFF) | ((buf[start + 1] & 0xFF) << 8);
            fill(2 + length);
            offset = start + 2;
            start += 2 + length;
            return length;
        }

        byte[] buffer() {
            return buf;
        }

        int offset() {
            return offset;
        }

        private void fill(int need) throws IOException {
            if (end - start >= need) return;
            if (buf.length - start < need) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            while (end - start < need) {
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) throw new EOFException("the peer closed the connection");
                end += n;
            }
        }
    }

    /** Handles one transport message; returns a reason when the transport must end. */
    private String handle(TransportMessage message) throws DecodeException {
        switch (message) {
            case Frame f -> {
                int key = channel(f.reliable(), f.qos());
                if (!SeqNum.precedes(rxSn[key], f.sn(), snMask)) {
                    LOG.debug("dropped a frame with stale sequence number {}", f.sn());
                    return null;
                }
                rxSn[key] = f.sn();
                for (NetworkMessage m : f.messages()) deliver(m);
            }
            case Fragment f -> {
                int key = channel(f.reliable(), f.qos());
                if (!SeqNum.precedes(rxSn[key], f.sn(), snMask)) return null;
                rxSn[key] = f.sn();
                reassemble(key, f);
            }
            case KeepAlive k -> {}
            case Close c -> {
                return "the peer closed the " + (c.session() ? "session" : "link") + " (reason " + c.reason() + ")";
            }
            default -> LOG.debug("ignored {}", message.getClass().getSimpleName());
        }
        return null;
    }

    private int channel(boolean reliable, int frameQos) throws DecodeException {
        int priority = frameQos & 0x07;
        if (!qos && priority != NetworkMessage.QOS_DEFAULT) {
            throw new DecodeException("priority " + priority + " on a link without QoS");
        }
        return (reliable ? 1 : 0) | ((qos ? priority : 0) << 1);
    }

    private void reassemble(int key, Fragment f) throws DecodeException {
        ZWriter buffer = defrag[key];
        if (buffer == null || buffer.size() == 0) {
            if (buffer == null) defrag[key] = buffer = new ZWriter(batchSize * 2);
            defragNext[key] = f.sn();
        }
        if (f.sn() != defragNext[key]) {
            buffer.reset();
            LOG.debug("dropped an incomplete fragmented message (sequence gap)");
            return;
        }
        if ((long) buffer.size() + f.payload().length() > config.maxMessageSize()) {
            buffer.reset();
            defrag[key] = null;
            LOG.warn("dropped a fragmented message larger than {} bytes", config.maxMessageSize());
            return;
        }
        buffer.bytes(f.payload());
        defragNext[key] = SeqNum.next(f.sn(), snMask);
        if (f.more()) return;
        ZReader r = new ZReader(buffer.array(), 0, buffer.size());
        NetworkMessage m = Codec.decodeNetwork(r);
        if (r.hasRemaining()) throw new DecodeException("trailing bytes after a reassembled message");
        // keep the grown buffer for the next large message, unless it is unusually large
        if (buffer.array().length > (16 << 20)) defrag[key] = null;
        else buffer.reset();
        deliver(m);
    }

    private void deliver(NetworkMessage m) {
        try {
            listener.onMessage(m);
        } catch (RuntimeException e) {
            LOG.error("a message handler failed", e);
        }
    }

    // -------------------------------------------------------------------------------------------------- closing

    /** Ends the transport because something went wrong; the reader reports it. */
    private void fail(String reason) {
        if (closeReason == null) closeReason = reason;
        if (closed.compareAndSet(false, true)) {
            LOG.info("closing the link to {}: {}", remoteZid, reason);
        }
        closeQuietly(socket);
        if (reader == null || !reader.isAlive()) terminate(reason);
    }

    /** Sends a Close to the peer and ends the transport. Idempotent. */
    public void close() {
        if (closed.get()) return;
        sendCloseQuietly(Close.GENERIC);
        if (closeReason == null) closeReason = "closed locally";
        closed.set(true);
        closeQuietly(socket);
        if (reader == null || !reader.isAlive()) terminate(closeReason);
    }

    /** Best effort: written at once when no write is in progress, otherwise left for the writing thread. */
    private void sendCloseQuietly(int reason) {
        try {
            if (!txLock.tryLock(100, TimeUnit.MILLISECONDS)) return;
            try {
                if (writing) {
                    if (batch.size() + 4 <= batchSize) Codec.encodeTransport(batch, new Close(reason, false));
                    return;
                }
                ZWriter w = new ZWriter(8);
                w.u16le(0);
                Codec.encodeTransport(w, new Close(reason, false));
                w.putU16le(0, w.size() - 2);
                out.write(w.array(), 0, w.size());
            } finally {
                txLock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not send Close: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void terminate(String reason) {
        if (!reported.compareAndSet(false, true)) return;
        closed.set(true);
        closeQuietly(socket);
        if (keepAlive != null) keepAlive.cancel(false);
        txLock.lock();
        try {
            txChanged.signalAll();
            pending.signalAll();
        } finally {
            txLock.unlock();
        }
        try {
            listener.onClosed(reason);
        } catch (RuntimeException e) {
            LOG.error("a close handler failed", e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ------------------------------------------------------------------------------------------------ handshake

    private static void writeSingle(OutputStream out, TransportMessage message) throws IOException {
        ZWriter w = new ZWriter(128);
        w.u16le(0);
        Codec.encodeTransport(w, message);
        w.putU16le(0, w.size() - 2);
        out.write(w.array(), 0, w.size());
    }

    private static TransportMessage readSingle(BatchReader in) throws IOException {
        int length = in.next();
        try {
            return Codec.decodeTransport(new ZReader(in.buffer(), in.offset(), length));
        } catch (DecodeException e) {
            throw new IOException("malformed handshake message: " + e.getMessage(), e);
        }
    }

    private static <T extends TransportMessage> T expect(TransportMessage m, Class<T> type, Endpoint endpoint)
            throws IOException {
        if (m instanceof Close c) {
            throw new IOException("peer " + endpoint + " refused the session (close reason " + c.reason() + ")");
        }
        if (!type.isInstance(m)) {
            throw new IOException(
                    "unexpected " + m.getClass().getSimpleName() + " from " + endpoint + " during the handshake");
        }
        return type.cast(m);
    }
}
