package ai.auraison.zenoh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.zenoh.ZBytes;
import ai.auraison.zenoh.ZenohId;
import ai.auraison.zenoh.internal.NetworkMessage.Push;
import ai.auraison.zenoh.internal.NetworkMessage.Put;
import ai.auraison.zenoh.internal.TransportMessage.Fragment;
import ai.auraison.zenoh.internal.TransportMessage.KeepAlive;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transport against a scripted router on loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransportIT {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<NetworkMessage> received = new CopyOnWriteArrayList<>();
    private final List<String> closes = new CopyOnWriteArrayList<>();
    private FakeRouter router;
    private Transport transport;

    private final Transport.Listener listener = new Transport.Listener() {
        @Override
        public void onMessage(NetworkMessage message) {
            received.add(message);
        }

        @Override
        public void onClosed(String reason) {
            closes.add(reason);
        }
    };

    @AfterEach
    void tearDown() {
        if (transport != null) transport.close();
        if (router != null) router.close();
        timer.shutdownNow();
    }

    private static Transport.Config config(Duration lease) {
        return new Transport.Config(
                ZenohId.random(), TransportMessage.CLIENT, lease, true, Duration.ofSeconds(5), 64L << 20, 4);
    }

    private Transport open(FakeRouter.Terms terms, Duration lease) throws IOException {
        router = new FakeRouter(terms);
        transport = Transport.open(Endpoint.parse(router.endpoint()), config(lease), listener, timer);
        return transport;
    }

    private static Push push(String key, byte[] payload) {
        return new Push(
                WireExpr.of(key),
                NetworkMessage.QOS_DEFAULT,
                null,
                0,
                null,
                new Put(null, null, null, null, List.of(), ZBytes.from(payload)));
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) bytes[i] = (byte) (i % 253);
        return bytes;
    }

    @Test
    void negotiatesQosAndTheBatchSizeTheRouterOffers() throws IOException {
        open(new FakeRouter.Terms(TransportMessage.PROTOCOL_VERSION, 2048, true, 10_000, 7), Duration.ofSeconds(10));
        FakeRouter.Connection c = router.connection(0, WAIT);
        assertThat(c.initSyn().version()).isEqualTo(0x09);
        assertThat(c.initSyn().whatAmI()).isEqualTo(TransportMessage.CLIENT);
        assertThat(c.openSyn().cookie()).isEqualTo(ZBytes.from("cookie"));
        assertThat(transport.batchSize()).isEqualTo(2048);
        assertThat(transport.qos()).isTrue();
        assertThat(transport.remoteZid()).isEqualTo(router.zid());
    }

    @Test
    void refusesARouterSpeakingAnotherProtocolVersion() {
        assertThatThrownBy(() -> open(new FakeRouter.Terms(0x08, 65_535, false, 10_000, 0), Duration.ofSeconds(10)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("protocol version 8");
    }

    @Test
    void fragmentsAMessageLargerThanABatchOverConsecutiveSequenceNumbers() throws IOException {
        open(new FakeRouter.Terms(TransportMessage.PROTOCOL_VERSION, 1024, false, 10_000, 0), Duration.ofSeconds(10));
        byte[] payload = pattern(10_000);
        assertThat(transport.send(push("big/one", payload), true, 5, true, false))
                .isTrue();
        FakeRouter.Connection c = router.connection(0, WAIT);
        Awaitility.await().atMost(WAIT).until(() -> !c.messages.isEmpty());

        Push received = (Push) c.messages.get(0);
        assertThat(((Put) received.body()).payload().toBytes()).isEqualTo(payload);
        List<Fragment> fragments = c.fragments;
        assertThat(fragments).hasSizeGreaterThan(9);
        for (int i = 1; i < fragments.size(); i++) {
            assertThat(fragments.get(i).sn()).isEqualTo(fragments.get(i - 1).sn() + 1);
            assertThat(fragments.get(i - 1).more()).isTrue();
        }
        assertThat(fragments.get(fragments.size() - 1).more()).isFalse();
        assertThat(c.openSyn().initialSn()).isEqualTo(fragments.get(0).sn());
    }

    @Test
    void reassemblesAFragmentedOneMebibytePayload() throws IOException {
        open(FakeRouter.Terms.standard(), Duration.ofSeconds(10));
        FakeRouter.Connection c = router.connection(0, WAIT);
        byte[] payload = pattern(1 << 20);
        ZWriter message = new ZWriter();
        Codec.encodeNetwork(message, push("big/in", payload));
        byte[] bytes = message.toByteArray();
        int chunk = 60_000;
        for (int offset = 0; offset < bytes.length; offset += chunk) {
            int length = Math.min(chunk, bytes.length - offset);
            byte[] part = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
            c.send(new Fragment(true, offset + length < bytes.length, c.nextSn(), 5, false, false, ZBytes.from(part)));
        }
        Awaitility.await().atMost(WAIT).until(() -> !received.isEmpty());
        assertThat(((Put) ((Push) received.get(0)).body()).payload().toBytes()).isEqualTo(payload);
    }

    @Test
    void closesOnlyTheLinkWithALoggedReasonWhenABatchIsMalformed() throws IOException {
        open(FakeRouter.Terms.standard(), Duration.ofSeconds(10));
        FakeRouter.Connection c = router.connection(0, WAIT);
        c.sendRaw(new byte[] {3, 0, 0x1F, (byte) 0xFF, (byte) 0xFF});
        Awaitility.await().atMost(WAIT).until(() -> !closes.isEmpty());
        assertThat(closes).singleElement().asString().contains("malformed batch");
        assertThat(transport.isOpen()).isFalse();
        assertThat(transport.send(push("after", new byte[1]), true, 5, true, true))
                .isFalse();
    }

    @Test
    void dropsFramesWhoseSequenceNumberIsNotNew() throws IOException {
        open(FakeRouter.Terms.standard(), Duration.ofSeconds(10));
        FakeRouter.Connection c = router.connection(0, WAIT);
        long sn = c.nextSn();
        c.send(new TransportMessage.Frame(true, sn, 5, List.of(push("a", new byte[] {1}))));
        c.send(new TransportMessage.Frame(true, sn, 5, List.of(push("duplicate", new byte[] {2}))));
        c.send(new TransportMessage.Frame(true, sn + 1, 5, List.of(push("b", new byte[] {3}))));
        Awaitility.await().atMost(WAIT).until(() -> received.size() >= 2);
        assertThat(received).extracting(m -> ((Push) m).key().suffix()).containsExactly("a", "b");
    }

    @Test
    void sendsKeepAlivesWhileIdleAndExpiresTheLeaseOfASilentRouter() throws IOException {
        open(new FakeRouter.Terms(TransportMessage.PROTOCOL_VERSION, 65_535, true, 600, 0), Duration.ofMillis(400));
        FakeRouter.Connection c = router.connection(0, WAIT);
        Awaitility.await().atMost(WAIT).until(() -> c.received.stream().anyMatch(m -> m instanceof KeepAlive));
        Awaitility.await().atMost(WAIT).until(() -> !closes.isEmpty());
        assertThat(closes.get(0)).contains("lease expired");
    }

    @Test
    void batchesMessagesFromConcurrentSendersWithoutLosingAny() throws Exception {
        open(FakeRouter.Terms.standard(), Duration.ofSeconds(10));
        FakeRouter.Connection c = router.connection(0, WAIT);
        int threads = 8;
        int each = 500;
        List<Thread> senders = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++)
                    transport.send(push("t" + id + "/" + i, new byte[100]), true, 5, true, i % 2 == 0);
            }));
        }
        for (Thread t : senders) t.join();
        Awaitility.await().atMost(WAIT).until(() -> c.messages.size() == threads * each);
        long frames = c.received.stream()
                .filter(m -> m instanceof TransportMessage.Frame)
                .count();
        assertThat(frames).as("frames carrying several messages").isLessThan(threads * each);
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + "/";
            assertThat(c.messages.stream()
                            .map(m -> ((Push) m).key().suffix())
                            .filter(k -> k.startsWith(prefix))
                            .toList())
                    .as("per-sender order")
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, each)
                            .mapToObj(i -> prefix + i)
                            .toList());
        }
    }
}
