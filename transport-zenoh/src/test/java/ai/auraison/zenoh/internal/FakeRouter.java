package ai.auraison.zenoh.internal;

import ai.auraison.zenoh.ZBytes;
import ai.auraison.zenoh.ZenohId;
import ai.auraison.zenoh.internal.TransportMessage.Fragment;
import ai.auraison.zenoh.internal.TransportMessage.Frame;
import ai.auraison.zenoh.internal.TransportMessage.Init;
import ai.auraison.zenoh.internal.TransportMessage.Open;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * A scripted router on loopback that speaks the acceptor side of the handshake with this module's codec, records
 * every message a client sends (reassembling fragments), and sends whatever a test tells it to. Test-only.
 */
public final class FakeRouter implements AutoCloseable {

    /** What the router answers in the handshake. */
    public record Terms(int version, int batchSize, boolean qos, long leaseMillis, long initialSn) {
        public static Terms standard() {
            return new Terms(TransportMessage.PROTOCOL_VERSION, 65_535, true, 10_000, 1000);
        }
    }

    /** One accepted client connection. */
    public final class Connection {
        private final Socket socket;
        private final OutputStream out;
        public final List<TransportMessage> received = new CopyOnWriteArrayList<>();
        public final List<NetworkMessage> messages = new CopyOnWriteArrayList<>();
        public final List<Fragment> fragments = new CopyOnWriteArrayList<>();
        private final ByteArrayOutputStream defrag = new ByteArrayOutputStream();
        private long nextSn;
        volatile Init initSyn;
        volatile Open openSyn;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.nextSn = terms.initialSn();
        }

        public Init initSyn() {
            return initSyn;
        }

        public Open openSyn() {
            return openSyn;
        }

        /** The next frame sequence number this router will use. */
        public synchronized long nextSn() {
            return nextSn++;
        }

        public void send(TransportMessage... batch) {
            ZWriter w = new ZWriter();
            w.u16le(0);
            for (TransportMessage m : batch) Codec.encodeTransport(w, m);
            w.putU16le(0, w.size() - 2);
            sendRaw(w.toByteArray());
        }

        /** A reliable frame on the data lane with the next sequence number. */
        public void sendFrame(NetworkMessage... messages) {
            send(new Frame(true, nextSn(), NetworkMessage.QOS_DEFAULT, List.of(messages)));
        }

        public synchronized void sendRaw(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        public boolean isClosed() {
            return closedConnections.contains(this);
        }

        private void serve() {
            try (socket) {
                InputStream in = socket.getInputStream();
                initSyn = (Init) read(in).get(0);
                List<Extension> exts = terms.qos() && initSyn.hasExtension(Init.EXT_QOS)
                        ? List.of(Extension.unit(1, false))
                        : List.of();
                send(new Init(
                        true,
                        terms.version(),
                        TransportMessage.ROUTER,
                        zid,
                        TransportMessage.DEFAULT_RESOLUTION,
                        terms.batchSize(),
                        ZBytes.from("cookie"),
                        exts));
                openSyn = (Open) read(in).get(0);
                send(new Open(true, terms.leaseMillis(), terms.initialSn(), null, List.of()));
                while (true) {
                    for (TransportMessage m : read(in)) {
                        received.add(m);
                        if (m instanceof Frame f) messages.addAll(f.messages());
                        if (m instanceof Fragment f) {
                            fragments.add(f);
                            defrag.writeBytes(f.payload().toBytes());
                            if (!f.more()) {
                                messages.add(Codec.decodeNetwork(ZReader.of(defrag.toByteArray())));
                                defrag.reset();
                            }
                        }
                    }
                }
            } catch (IOException | DecodeException | RuntimeException e) {
                closedConnections.add(this);
            }
        }

        private List<TransportMessage> read(InputStream in) throws IOException, DecodeException {
            int lo = in.read();
            int hi = in.read();
            if (lo < 0 || hi < 0) throw new EOFException();
            byte[] batch = in.readNBytes(lo | (hi << 8));
            List<TransportMessage> decoded = new ArrayList<>();
            for (TransportMessage m : Codec.decodeBatch(ZReader.of(batch))) {
                // fragment payloads view the batch; keep a copy
                if (m instanceof Fragment f) {
                    m = new Fragment(
                            f.reliable(),
                            f.more(),
                            f.sn(),
                            f.qos(),
                            f.first(),
                            f.drop(),
                            ZBytes.from(f.payload().toBytes()));
                }
                decoded.add(m);
            }
            return decoded;
        }
    }

    private final ServerSocket server;
    private final Terms terms;
    private final ZenohId zid = ZenohId.random();
    public final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Connection> closedConnections = new CopyOnWriteArrayList<>();

    public FakeRouter(Terms terms) {
        this.terms = terms;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Connection c = new Connection(server.accept());
                    connections.add(c);
                    Thread.ofVirtual().start(c::serve);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    public FakeRouter() {
        this(Terms.standard());
    }

    public String endpoint() {
        return "tcp/127.0.0.1:" + server.getLocalPort();
    }

    public ZenohId zid() {
        return zid;
    }

    /** Waits for the {@code index}-th connection (0-based) to finish its handshake. */
    public Connection connection(int index, Duration timeout) {
        Awaitility.await("connection " + index)
                .atMost(timeout)
                .until(() -> connections.size() > index && connections.get(index).openSyn != null);
        return connections.get(index);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.forEach(Connection::close);
    }
}
