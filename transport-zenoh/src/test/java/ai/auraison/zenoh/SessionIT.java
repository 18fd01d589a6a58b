package ai.auraison.zenoh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.zenoh.internal.Declaration;
import ai.auraison.zenoh.internal.Declaration.DeclareFinal;
import ai.auraison.zenoh.internal.Declaration.DeclareKeyExpr;
import ai.auraison.zenoh.internal.Declaration.DeclareSubscriber;
import ai.auraison.zenoh.internal.Declaration.DeclareToken;
import ai.auraison.zenoh.internal.FakeRouter;
import ai.auraison.zenoh.internal.NetworkMessage;
import ai.auraison.zenoh.internal.NetworkMessage.Declare;
import ai.auraison.zenoh.internal.NetworkMessage.Interest;
import ai.auraison.zenoh.internal.NetworkMessage.Push;
import ai.auraison.zenoh.internal.NetworkMessage.Put;
import ai.auraison.zenoh.internal.NetworkMessage.QueryBody;
import ai.auraison.zenoh.internal.NetworkMessage.Request;
import ai.auraison.zenoh.internal.NetworkMessage.Response;
import ai.auraison.zenoh.internal.NetworkMessage.ResponseFinal;
import ai.auraison.zenoh.internal.WireExpr;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Session behaviour against a scripted router: re-declaration, key tables, query finals, consolidation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionIT {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private FakeRouter router;
    private Session session;

    @BeforeEach
    void open() throws ZError {
        router = new FakeRouter();
        session = Zenoh.open(Config.client(router.endpoint())
                .insertJson5("connect/retry", "{period_init_ms: 20, period_max_ms: 200}"));
    }

    @AfterEach
    void close() {
        if (session != null) session.close();
        if (router != null) router.close();
    }

    private static Declare declare(long interestId, Declaration body) {
        return new Declare(interestId, 0x08, null, 0, body);
    }

    private static List<Declaration> declarations(FakeRouter.Connection c) {
        return c.messages.stream()
                .filter(m -> m instanceof Declare)
                .map(m -> ((Declare) m).body())
                .toList();
    }

    private static Push push(WireExpr key, String payload) {
        return new Push(
                key,
                NetworkMessage.QOS_DEFAULT,
                null,
                0,
                null,
                new Put(null, null, null, null, List.of(), ZBytes.from(payload)));
    }

    @Test
    void redeclaresEverythingOnTheNextLinkAfterAMalformedBatch() throws ZError {
        List<SessionStatus> statuses = new CopyOnWriteArrayList<>();
        session.addStatusListener(statuses::add);
        session.declareSubscriber(KeyExpr.of("sub/**"), sample -> {});
        session.declareQueryable(KeyExpr.of("qbl/**"), query -> {});
        session.liveliness().declareToken(KeyExpr.of("token/a"));
        session.declarePublisher(KeyExpr.of("pub/x"));
        FakeRouter.Connection first = router.connection(0, WAIT);
        Awaitility.await().atMost(WAIT).until(() -> declarations(first).size() == 4);

        first.sendRaw(new byte[] {2, 0, (byte) 0x9E, 0x7F});

        FakeRouter.Connection second = router.connection(1, WAIT);
        Awaitility.await().atMost(WAIT).until(() -> declarations(second).size() == 4);
        assertThat(declarations(second))
                .extracting(d -> d.getClass().getSimpleName())
                .containsExactlyInAnyOrder("DeclareKeyExpr", "DeclareSubscriber", "DeclareQueryable", "DeclareToken");
        Awaitility.await().atMost(WAIT).until(() -> session.status() == SessionStatus.CONNECTED);
        assertThat(statuses).containsExactly(SessionStatus.RECONNECTING, SessionStatus.CONNECTED);
    }

    @Test
    void resolvesKeyExpressionsTheRouterAndTheSessionDeclared() throws Exception {
        try (Subscriber<BlockingQueue<Optional<Sample>>> sub = session.declareSubscriber(KeyExpr.of("a/**"));
                Publisher publisher = session.declarePublisher(KeyExpr.of("a/mine"))) {
            FakeRouter.Connection c = router.connection(0, WAIT);
            Awaitility.await().atMost(WAIT).until(() -> declarations(c).size() == 2);
            int mine = declarations(c).stream()
                    .filter(d -> d instanceof DeclareKeyExpr)
                    .map(d -> ((DeclareKeyExpr) d).id())
                    .findFirst()
                    .orElseThrow();
            c.sendFrame(declare(-1, new DeclareKeyExpr(5, WireExpr.of("a/theirs"))));
            c.sendFrame(push(new WireExpr(5, "/deep", true), "router-scoped"));
            c.sendFrame(push(new WireExpr(mine, "", false), "session-scoped"));

            assertThat(sub.receiver().poll(5, TimeUnit.SECONDS).orElseThrow().keyExpr())
                    .hasToString("a/theirs/deep");
            assertThat(sub.receiver().poll(5, TimeUnit.SECONDS).orElseThrow().keyExpr())
                    .hasToString("a/mine");
        }
    }

    @Test
    void answersEveryRequestWithExactlyOneFinalAfterAllQueryablesClose() throws ZError {
        session.declareQueryable(KeyExpr.of("q/**"), query -> {
            try {
                query.reply(query.keyExpr(), "one");
                query.reply(query.keyExpr(), "two");
            } catch (ZError e) {
                throw new IllegalStateException(e);
            }
        });
        session.declareQueryable(KeyExpr.of("q/x"), query -> {
            try {
                query.replyErr(ZBytes.from("no"));
            } catch (ZError e) {
                throw new IllegalStateException(e);
            }
        });
        FakeRouter.Connection c = router.connection(0, WAIT);
        QueryBody body = new QueryBody(0, "", null, null, null, null, List.of());
        c.sendFrame(new Request(41, WireExpr.of("q/x"), 5, null, 0, 0, 0, 1000, null, body));
        c.sendFrame(new Request(42, WireExpr.of("elsewhere"), 5, null, 0, 0, 0, 1000, null, body));

        Awaitility.await().atMost(WAIT).until(() -> finals(c, 41) == 1 && finals(c, 42) == 1);
        List<Response> responses = c.messages.stream()
                .filter(m -> m instanceof Response r && r.requestId() == 41)
                .map(m -> (Response) m)
                .toList();
        assertThat(responses).hasSize(3);
        int lastResponse = c.messages.indexOf(responses.get(2));
        int finalAt = c.messages.indexOf(c.messages.stream()
                .filter(m -> m instanceof ResponseFinal f && f.requestId() == 41)
                .findFirst()
                .orElseThrow());
        assertThat(finalAt).as("the final comes after every response").isGreaterThan(lastResponse);
    }

    private static long finals(FakeRouter.Connection c, long requestId) {
        return c.messages.stream()
                .filter(m -> m instanceof ResponseFinal f && f.requestId() == requestId)
                .count();
    }

    @Test
    void consolidatesRepliesToTheLatestPerKeyUnlessAskedForAll() throws Exception {
        FakeRouter.Connection c = router.connection(0, WAIT);
        BlockingQueue<Optional<Reply>> latest = session.get(Selector.tryFrom("c/**"));
        BlockingQueue<Optional<Reply>> all =
                session.get(Selector.tryFrom("c/**"), GetOptions.defaults().withConsolidation(ConsolidationMode.NONE));
        Awaitility.await()
                .atMost(WAIT)
                .until(() ->
                        c.messages.stream().filter(m -> m instanceof Request).count() == 2);
        List<Request> requests = c.messages.stream()
                .filter(m -> m instanceof Request)
                .map(m -> (Request) m)
                .toList();
        assertThat(requests.get(0).body().consolidation()).isEqualTo(0);
        assertThat(requests.get(1).body().consolidation()).isEqualTo(1);
        ZenohId node = ZenohId.random();
        for (Request request : requests) {
            for (int stamp = 1; stamp <= 3; stamp++) {
                Put put = new Put(new Timestamp(stamp, node), null, null, null, List.of(), ZBytes.from("v" + stamp));
                c.sendFrame(new Response(
                        request.id(),
                        WireExpr.of("c/k"),
                        5,
                        null,
                        null,
                        null,
                        new NetworkMessage.Reply(0, List.of(), put)));
            }
            c.sendFrame(new ResponseFinal(request.id(), 5, null));
        }
        assertThat(drain(latest))
                .extracting(r -> ((Reply.Success) r).sample().payload().toString())
                .containsExactly("v3");
        assertThat(drain(all))
                .extracting(r -> ((Reply.Success) r).sample().payload().toString())
                .containsExactly("v1", "v2", "v3");
    }

    private static List<Reply> drain(BlockingQueue<Optional<Reply>> queue) throws InterruptedException {
        List<Reply> replies = new java.util.ArrayList<>();
        while (true) {
            Optional<Reply> next = queue.poll(5, TimeUnit.SECONDS);
            assertThat(next).as("the get ends").isNotNull();
            if (next.isEmpty()) return replies;
            replies.add(next.get());
        }
    }

    @Test
    void endsAGetAtItsTimeoutWhenNoFinalComes() throws Exception {
        router.connection(0, WAIT);
        BlockingQueue<Optional<Reply>> replies =
                session.get(Selector.tryFrom("silent"), GetOptions.defaults().withTimeout(Duration.ofMillis(200)));
        assertThat(replies.poll(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void reconcilesLivelinessAfterReconnectingReportingOnlyTokensThatVanished() throws Exception {
        try (Subscriber<BlockingQueue<Optional<Sample>>> sub =
                session.liveliness().declareSubscriber(KeyExpr.of("lv/**"), false)) {
            FakeRouter.Connection first = router.connection(0, WAIT);
            Awaitility.await().atMost(WAIT).until(() -> first.messages.stream().anyMatch(m -> m instanceof Interest));
            first.sendFrame(
                    declare(-1, new DeclareToken(1, WireExpr.of("lv/stays"))),
                    declare(-1, new DeclareToken(2, WireExpr.of("lv/goes"))));
            assertThat(List.of(next(sub), next(sub)))
                    .extracting(s -> s.keyExpr() + " " + s.kind())
                    .containsExactly("lv/stays PUT", "lv/goes PUT");

            first.sendRaw(new byte[] {1, 0, 0x1F});
            FakeRouter.Connection second = router.connection(1, WAIT);
            Awaitility.await().atMost(WAIT).until(() -> second.messages.stream().anyMatch(m -> m instanceof Interest));
            Interest interest = (Interest) second.messages.stream()
                    .filter(m -> m instanceof Interest)
                    .findFirst()
                    .orElseThrow();
            assertThat(interest.mode()).isEqualTo(Interest.MODE_CURRENT_FUTURE);
            second.sendFrame(
                    declare(interest.id(), new DeclareToken(7, WireExpr.of("lv/stays"))),
                    declare(interest.id(), new DeclareToken(8, WireExpr.of("lv/new"))),
                    declare(interest.id(), new DeclareFinal()));
            assertThat(List.of(next(sub), next(sub)))
                    .extracting(s -> s.keyExpr() + " " + s.kind())
                    .containsExactly("lv/new PUT", "lv/goes DELETE");
            assertThat(sub.receiver().poll(200, TimeUnit.MILLISECONDS))
                    .as("nothing more")
                    .isNull();
        }
    }

    private static Sample next(Subscriber<BlockingQueue<Optional<Sample>>> sub) throws InterruptedException {
        Optional<Sample> sample = sub.receiver().poll(5, TimeUnit.SECONDS);
        assertThat(sample).isNotNull();
        return sample.orElseThrow();
    }

    @Test
    void deliversItsOwnPublicationsToItsOwnSubscribers() throws Exception {
        try (Subscriber<BlockingQueue<Optional<Sample>>> sub = session.declareSubscriber(KeyExpr.of("self/*"))) {
            session.put(KeyExpr.of("self/a"), "loop");
            assertThat(next(sub).payload()).hasToString("loop");
            FakeRouter.Connection c = router.connection(0, WAIT);
            Awaitility.await().atMost(WAIT).until(() -> c.messages.stream().anyMatch(m -> m instanceof Push));
        }
    }

    @Test
    void answersItsOwnGetsFromItsOwnQueryables() throws Exception {
        router.connection(0, WAIT);
        session.declareQueryable(KeyExpr.of("own/q"), query -> {
            try {
                query.reply(query.keyExpr(), "local");
            } catch (ZError e) {
                throw new IllegalStateException(e);
            }
        });
        FakeRouter.Connection c = router.connection(0, WAIT);
        BlockingQueue<Optional<Reply>> replies = session.get(Selector.tryFrom("own/q"));
        Awaitility.await().atMost(WAIT).until(() -> c.messages.stream().anyMatch(m -> m instanceof Request));
        Request request = (Request) c.messages.stream()
                .filter(m -> m instanceof Request)
                .findFirst()
                .orElseThrow();
        c.sendFrame(new ResponseFinal(request.id(), 5, null));
        assertThat(drain(replies))
                .extracting(r -> ((Reply.Success) r).sample().payload().toString())
                .containsExactly("local");
    }

    @Test
    void subscriberCloseEndsItsQueueAndUndeclaresIt() throws Exception {
        Subscriber<BlockingQueue<Optional<Sample>>> sub = session.declareSubscriber(KeyExpr.of("end/**"));
        sub.close();
        assertThat(sub.receiver().poll(1, TimeUnit.SECONDS)).isEmpty();
        FakeRouter.Connection c = router.connection(0, WAIT);
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> declarations(c).stream().anyMatch(d -> d instanceof Declaration.UndeclareSubscriber));
        assertThat(declarations(c).get(0)).isInstanceOf(DeclareSubscriber.class);
    }

    @Test
    void failsToOpenWithAClearErrorWhenNoRouterAnswers() throws ZError {
        Config config =
                Config.client("tcp/127.0.0.1:" + ZenohRouter.freePort()).insertJson5("connect/timeout_ms", "300");
        assertThatThrownBy(() -> Zenoh.open(config))
                .isInstanceOf(ZError.class)
                .hasMessageContaining("could not connect");
    }
}
