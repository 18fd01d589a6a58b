package ai.auraison.zenoh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeclaredTest {

    @Test
    void closingFromManyThreadsAtOnceUndeclaresOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            AtomicInteger undeclared = new AtomicInteger();
            LivelinessToken token = new LivelinessToken(KeyExpr.of("robot/1/alive"), undeclared::incrementAndGet);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> closers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                closers.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    token.close();
                }));
            }
            go.countDown();
            for (Thread t : closers) t.join();
            assertThat(undeclared).hasValue(1);
        }
    }

    @Test
    void aClosedDeclarationRefusesUseNamingItsKeyExpression() {
        Subscriber<Void> subscriber = new Subscriber<>(KeyExpr.of("robot/*/pose"), null, () -> {});
        subscriber.close();
        assertThatThrownBy(() -> subscriber.ensureOpen("the subscriber"))
                .isInstanceOf(ZError.class)
                .hasMessage("the subscriber on robot/*/pose is closed");
    }
}
