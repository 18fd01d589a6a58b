package ai.auraison.zenoh;

import static ai.auraison.zenoh.PythonPeer.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real router restarts while a Java session publishes, subscribes, answers queries and holds a token. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReconnectionInteropIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void reconnectsAfterARouterRestartAndRedeclaresEverything() throws Exception {
        try (ZenohRouter router = ZenohRouter.start();
                Session java = Zenoh.open(router.clientConfig())) {
            List<SessionStatus> statuses = new CopyOnWriteArrayList<>();
            java.addStatusListener(statuses::add);
            Subscriber<BlockingQueue<Optional<Sample>>> sub = java.declareSubscriber(KeyExpr.of("rc/in/**"));
            java.declareQueryable(KeyExpr.of("rc/query"), query -> {
                try {
                    query.reply(query.keyExpr(), "still here");
                } catch (ZError e) {
                    throw new IllegalStateException(e);
                }
            });
            java.liveliness().declareToken(KeyExpr.of("rc/alive/java"));
            Publisher publisher = java.declarePublisher(KeyExpr.of("rc/out"));

            AtomicInteger sent = new AtomicInteger();
            List<Throwable> putFailures = new CopyOnWriteArrayList<>();
            ScheduledExecutorService publishing = Executors.newSingleThreadScheduledExecutor();
            publishing.scheduleAtFixedRate(
                    () -> {
                        try {
                            publisher.put("n" + sent.incrementAndGet());
                        } catch (ZError | RuntimeException e) {
                            putFailures.add(e);
                        }
                    },
                    0,
                    5,
                    TimeUnit.MILLISECONDS);

            try (PythonPeer before = PythonPeer.connect(router)) {
                ZenohRouter.awaitRouted(java);
                before.run("sub", "id", "out", "key", "rc/out");
                before.sync();
                before.await("sample", e -> "out".equals(e.get("sub")), WAIT);
                before.run("put", "key", "rc/in/before", "payload", hex("before"));
                assertThat(sub.receiver().poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .isNotNull()
                        .get()
                        .extracting(s -> s.payload().toString())
                        .isEqualTo("before");
            }

            router.restart();
            Awaitility.await("reconnected")
                    .atMost(WAIT)
                    .until(() ->
                            statuses.contains(SessionStatus.RECONNECTING) && java.status() == SessionStatus.CONNECTED);

            try (PythonPeer after = PythonPeer.connect(router)) {
                ZenohRouter.awaitRouted(java);
                after.run("sub", "id", "out", "key", "rc/out");
                after.sync();
                int resumedFrom = sent.get();
                Map<String, Object> resumed = after.await(
                        "sample",
                        e -> "out".equals(e.get("sub"))
                                && Integer.parseInt(PythonPeer.text(e.get("payload"))
                                                .substring(1))
                                        > resumedFrom,
                        WAIT);
                assertThat(resumed).isNotNull();

                after.run("put", "key", "rc/in/after", "payload", hex("after"));
                Awaitility.await("the re-declared subscriber receives")
                        .atMost(WAIT)
                        .until(() -> {
                            Optional<Sample> s = sub.receiver().poll(100, TimeUnit.MILLISECONDS);
                            return s != null
                                    && s.isPresent()
                                    && s.get().payload().toString().equals("after");
                        });

                after.run("get", "id", "q", "selector", "rc/query");
                after.await("get_done", e -> "q".equals(e.get("get")), WAIT);
                assertThat(after.events("reply", e -> "q".equals(e.get("get"))))
                        .extracting(e -> PythonPeer.text(e.get("payload")))
                        .containsExactly("still here");

                assertThat(after.livelinessGetUntil("rc/alive/**", "rc/alive/java", WAIT))
                        .containsExactly("rc/alive/java");
            } finally {
                publishing.shutdownNow();
                publishing.awaitTermination(5, TimeUnit.SECONDS);
            }
            assertThat(putFailures)
                    .as("puts never throw while the link is down")
                    .isEmpty();
            assertThat(statuses).containsSubsequence(SessionStatus.RECONNECTING, SessionStatus.CONNECTED);
        }
    }

    @Test
    void reportsReconnectingWhileTheRouterIsDownAndClosedAfterClose() throws Exception {
        ZenohRouter router = ZenohRouter.start();
        try (Session java = Zenoh.open(router.clientConfig())) {
            List<SessionStatus> statuses = new CopyOnWriteArrayList<>();
            java.addStatusListener(statuses::add);
            router.stop();
            Awaitility.await().atMost(WAIT).until(() -> java.status() == SessionStatus.RECONNECTING);
            java.put(KeyExpr.of("rc/down"), "dropped quietly");
            BlockingQueue<Optional<Reply>> replies = java.get(KeyExpr.of("rc/down"));
            assertThat(replies.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("a get ends at once")
                    .isEmpty();
            java.close();
            assertThat(statuses).containsExactly(SessionStatus.RECONNECTING, SessionStatus.CLOSED);
        } finally {
            router.close();
        }
    }
}
