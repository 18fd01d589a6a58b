package ai.auraison.zenoh;

import static ai.auraison.zenoh.PythonPeer.hex;
import static ai.auraison.zenoh.PythonPeer.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The Java client against the real eclipse-zenoh: a router and a Python client session on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZenohInteropIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ZenohRouter router;
    private PythonPeer python;
    private Session java;

    @BeforeAll
    void start() throws ZError {
        router = ZenohRouter.start();
        try {
            python = PythonPeer.connect(router);
            java = Zenoh.open(router.clientConfig());
        } catch (RuntimeException | ZError e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        if (java != null) java.close();
        if (python != null) python.close();
        if (router != null) router.close();
    }

    private static Optional<Sample> next(BlockingQueue<Optional<Sample>> queue) throws InterruptedException {
        Optional<Sample> sample = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(sample).as("a sample within %s", WAIT).isNotNull();
        return sample;
    }

    @Test
    void javaPutReachesAPythonSubscriberWithEncodingAndAttachment() throws ZError {
        python.run("sub", "id", "j2p", "key", "it/j2p/**");
        python.sync();
        java.put(
                KeyExpr.of("it/j2p/a"),
                ZBytes.from("hello from java"),
                PutOptions.defaults().withEncoding(Encoding.TEXT_PLAIN).withAttachment(ZBytes.from("meta")));

        Map<String, Object> sample = python.await("sample", e -> "j2p".equals(e.get("sub")), WAIT);
        assertThat(sample.get("key")).isEqualTo("it/j2p/a");
        assertThat(text(sample.get("payload"))).isEqualTo("hello from java");
        assertThat(sample.get("encoding")).isEqualTo("text/plain");
        assertThat(text(sample.get("attachment"))).isEqualTo("meta");
        assertThat(sample.get("kind")).isEqualTo("PUT");
    }

    @Test
    void javaPublisherAndDeleteReachAPythonSubscriber() throws ZError {
        python.run("sub", "id", "jpub", "key", "it/jpub/**");
        python.sync();
        try (Publisher publisher = java.declarePublisher(
                KeyExpr.of("it/jpub/x"), PublisherOptions.defaults().withEncoding(Encoding.APPLICATION_JSON))) {
            publisher.put("{\"n\":1}");
            publisher.delete();
        }
        python.await("sample", e -> "jpub".equals(e.get("sub")) && "DELETE".equals(e.get("kind")), WAIT);
        Map<String, Object> put = python.await("sample", e -> "jpub".equals(e.get("sub")), WAIT);
        assertThat(text(put.get("payload"))).isEqualTo("{\"n\":1}");
        assertThat(put.get("encoding")).isEqualTo("application/json");
    }

    @Test
    void pythonPutReachesAJavaSubscriber() throws Exception {
        try (Subscriber<BlockingQueue<Optional<Sample>>> sub = java.declareSubscriber(KeyExpr.of("it/p2j/**"))) {
            ZenohRouter.awaitRouted(java);
            python.run(
                    "put",
                    "key",
                    "it/p2j/b",
                    "payload",
                    hex("hello from python"),
                    "encoding",
                    "text/plain",
                    "attachment",
                    hex("att"));
            Sample sample = next(sub.receiver()).orElseThrow();
            assertThat(sample.keyExpr()).hasToString("it/p2j/b");
            assertThat(sample.payload()).hasToString("hello from python");
            assertThat(sample.encoding()).isEqualTo(Encoding.TEXT_PLAIN);
            assertThat(sample.attachment()).hasToString("att");
            assertThat(sample.kind()).isEqualTo(SampleKind.PUT);
            assertThat(sample.timestamp()).as("the router stamps data").isNotNull();

            python.run("delete", "key", "it/p2j/b");
            assertThat(next(sub.receiver()).orElseThrow().kind()).isEqualTo(SampleKind.DELETE);
        }
    }

    @Test
    void javaQueryableAnswersAPythonGet() throws ZError {
        try (Queryable<Void> queryable = java.declareQueryable(KeyExpr.of("it/jq/**"), query -> {
            try {
                String asked = query.payload() == null ? "" : query.payload().toString();
                query.reply(query.keyExpr(), ZBytes.from("answer to " + asked + " with " + query.parameters()));
            } catch (ZError e) {
                throw new IllegalStateException(e);
            }
        })) {
            ZenohRouter.awaitRouted(java);
            python.run("get", "id", "g1", "selector", "it/jq/one?x=1", "payload", hex("question"));
            python.await("get_done", e -> "g1".equals(e.get("get")), WAIT);
            List<Map<String, Object>> replies = python.events("reply", e -> "g1".equals(e.get("get")));
            assertThat(replies).hasSize(1);
            assertThat(replies.get(0).get("ok")).isEqualTo(true);
            assertThat(replies.get(0).get("key")).isEqualTo("it/jq/one");
            assertThat(text(replies.get(0).get("payload"))).isEqualTo("answer to question with x=1");
        }
    }

    @Test
    void javaQueryableErrorReachesAPythonGet() throws ZError {
        try (Queryable<Void> queryable = java.declareQueryable(KeyExpr.of("it/jerr"), query -> {
            try {
                query.replyErr(ZBytes.from("refused"));
            } catch (ZError e) {
                throw new IllegalStateException(e);
            }
        })) {
            ZenohRouter.awaitRouted(java);
            python.run("get", "id", "gerr", "selector", "it/jerr");
            python.await("get_done", e -> "gerr".equals(e.get("get")), WAIT);
            Map<String, Object> reply =
                    python.events("reply", e -> "gerr".equals(e.get("get"))).get(0);
            assertThat(reply.get("ok")).isEqualTo(false);
            assertThat(text(reply.get("payload"))).isEqualTo("refused");
        }
    }

    @Test
    void pythonQueryableAnswersAJavaGetAndTheStreamEnds() throws Exception {
        python.run("queryable", "id", "pq", "key", "it/pq/**", "reply", hex("pong"), "complete", true);
        python.sync();
        BlockingQueue<Optional<Reply>> replies = java.get(
                Selector.tryFrom("it/pq/ping?n=7"),
                GetOptions.defaults().withPayload(ZBytes.from("ping")).withTarget(QueryTarget.ALL));
        Optional<Reply> first = replies.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(first).isNotNull().isPresent();
        Reply.Success success = (Reply.Success) first.orElseThrow();
        assertThat(success.sample().keyExpr()).hasToString("it/pq/ping");
        assertThat(success.sample().payload()).hasToString("pong");
        assertThat(replies.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("end of replies")
                .isEmpty();
        Map<String, Object> query = python.await("query", e -> "pq".equals(e.get("queryable")), WAIT);
        assertThat(query.get("selector")).isEqualTo("it/pq/ping?n=7");
        assertThat(text(query.get("payload"))).isEqualTo("ping");
    }

    @Test
    void javaQuerierGetsFromAPythonQueryable() throws Exception {
        python.run("queryable", "id", "pqr", "key", "it/pqr", "reply", hex("from querier"));
        python.sync();
        try (Querier querier = java.declareQuerier(KeyExpr.of("it/pqr"))) {
            for (int i = 0; i < 2; i++) {
                BlockingQueue<Optional<Reply>> replies = querier.get();
                Optional<Reply> reply = replies.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(reply).isNotNull().isPresent();
                assertThat(((Reply.Success) reply.orElseThrow()).sample().payload())
                        .hasToString("from querier");
            }
        }
    }

    @Test
    void javaTokenIsSeenByPythonLivelinessSubscriberAndGet() throws ZError {
        python.run("lsub", "id", "ls1", "key", "it/lv1/**");
        python.sync();
        LivelinessToken token = java.liveliness().declareToken(KeyExpr.of("it/lv1/java"));
        Map<String, Object> appeared = python.await("sample", e -> "ls1".equals(e.get("sub")), WAIT);
        assertThat(appeared.get("key")).isEqualTo("it/lv1/java");
        assertThat(appeared.get("kind")).isEqualTo("PUT");

        assertThat(python.livelinessGetUntil("it/lv1/**", "it/lv1/java", WAIT)).containsExactly("it/lv1/java");

        token.close();
        python.await("sample", e -> "ls1".equals(e.get("sub")) && "DELETE".equals(e.get("kind")), WAIT);
    }

    @Test
    void pythonTokenIsSeenByJavaLivelinessGetAndSubscriber() throws Exception {
        python.run("token", "id", "t2", "key", "it/lv2/python");
        python.sync();
        BlockingQueue<Optional<Reply>> alive = java.liveliness().get(KeyExpr.of("it/lv2/**"), WAIT);
        Optional<Reply> reply = alive.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(reply).isNotNull().isPresent();
        assertThat(((Reply.Success) reply.orElseThrow()).sample().keyExpr()).hasToString("it/lv2/python");
        assertThat(alive.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("end of the liveliness get")
                .isEmpty();

        try (Subscriber<BlockingQueue<Optional<Sample>>> sub =
                java.liveliness().declareSubscriber(KeyExpr.of("it/lv2/**"), true)) {
            Sample existing = next(sub.receiver()).orElseThrow();
            assertThat(existing.keyExpr()).hasToString("it/lv2/python");
            assertThat(existing.kind()).isEqualTo(SampleKind.PUT);
            python.run("token", "id", "t3", "key", "it/lv2/other");
            Sample added = next(sub.receiver()).orElseThrow();
            assertThat(added.keyExpr()).hasToString("it/lv2/other");
            python.run("untoken", "id", "t2");
            Sample gone = next(sub.receiver()).orElseThrow();
            assertThat(gone.keyExpr()).hasToString("it/lv2/python");
            assertThat(gone.kind()).isEqualTo(SampleKind.DELETE);
        }
    }

    @Test
    void oneMebibytePayloadTravelsFromJavaToPython() throws ZError {
        python.run("sub", "id", "big1", "key", "it/big/j2p");
        python.sync();
        byte[] payload = pattern(1 << 20);
        java.put(
                KeyExpr.of("it/big/j2p"),
                ZBytes.from(payload),
                PutOptions.defaults().withCongestionControl(CongestionControl.BLOCK));
        Map<String, Object> sample = python.await("sample", e -> "big1".equals(e.get("sub")), WAIT);
        assertThat(HexFormat.of().parseHex((String) sample.get("payload"))).isEqualTo(payload);
    }

    @Test
    void oneMebibytePayloadTravelsFromPythonToJava() throws Exception {
        try (Subscriber<BlockingQueue<Optional<Sample>>> sub = java.declareSubscriber(KeyExpr.of("it/big/p2j"))) {
            ZenohRouter.awaitRouted(java);
            byte[] payload = pattern(1 << 20);
            python.run("put", "key", "it/big/p2j", "payload", hex(payload));
            Sample sample = next(sub.receiver()).orElseThrow();
            assertThat(sample.payload().toBytes()).isEqualTo(payload);
        }
    }

    @Test
    void twoJavaSessionsExchangeDataAndQueriesThroughTheRouter() throws Exception {
        try (Session other = Zenoh.open(router.clientConfig());
                Subscriber<BlockingQueue<Optional<Sample>>> sub = other.declareSubscriber(KeyExpr.of("it/jj/**"));
                Queryable<Void> queryable = other.declareQueryable(KeyExpr.of("it/jjq"), q -> {
                    try {
                        q.reply(q.keyExpr(), "jj");
                    } catch (ZError e) {
                        throw new IllegalStateException(e);
                    }
                })) {
            ZenohRouter.awaitRouted(other);
            List<Sample> received = new ArrayList<>();
            java.put(KeyExpr.of("it/jj/1"), "one");
            received.add(next(sub.receiver()).orElseThrow());
            assertThat(received.get(0).payload()).hasToString("one");
            Optional<Reply> reply = java.get(KeyExpr.of("it/jjq")).poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(reply).isNotNull().isPresent();
            assertThat(((Reply.Success) reply.orElseThrow()).sample().payload()).hasToString("jj");
        }
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) bytes[i] = (byte) (i * 31 + (i >>> 8));
        return bytes;
    }

    @Test
    void aJavaSessionInPeerModeExchangesDataWithPythonThroughTheRouter() throws Exception {
        try (Session peer = Zenoh.open(router.clientConfig().insertJson5("mode", "'peer'"));
                Subscriber<BlockingQueue<Optional<Sample>>> sub = peer.declareSubscriber(KeyExpr.of("it/peer/in"))) {
            ZenohRouter.awaitRouted(peer);
            python.run("sub", "id", "peer", "key", "it/peer/out");
            python.sync();
            python.run("put", "key", "it/peer/in", "payload", hex("to the peer"));
            assertThat(next(sub.receiver()).orElseThrow().payload()).hasToString("to the peer");
            peer.put(KeyExpr.of("it/peer/out"), "from the peer");
            Map<String, Object> sample = python.await("sample", e -> "peer".equals(e.get("sub")), WAIT);
            assertThat(text(sample.get("payload"))).isEqualTo("from the peer");
        }
    }
}
