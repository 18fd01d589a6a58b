package ai.auraison.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Closed-loop load: each of N clients runs an operation, times it, and starts the next as soon as it returns. */
public final class ClosedLoop {

    /** Operations per second that succeeded, their latencies, and how many failed. */
    public record Result(double rate, Latencies latencies, long errors) {}

    /** One operation of client {@code worker}, its {@code n}th; true when it succeeded. */
    @FunctionalInterface
    public interface Operation {
        boolean run(int worker, long n) throws Exception;
    }

    private ClosedLoop() {}

    /** Runs {@code op} from {@code clients} threads for {@code seconds}; a failure counts, it does not stop a client. */
    public static Result run(int clients, int seconds, Operation op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Latencies> parts = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(clients);
        for (int w = 0; w < clients; w++) {
            Latencies mine = new Latencies();
            parts.add(mine);
            int worker = w;
            pool.execute(() -> {
                long n = 0;
                try {
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        try {
                            if (op.run(worker, n++)) mine.add(System.nanoTime() - t0);
                            else errors.incrementAndGet();
                        } catch (Exception e) {
                            // a failed request is an error of the step, not the end of this client
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e);
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        long started = System.nanoTime();
        Thread.sleep(Duration.ofSeconds(seconds));
        stop.set(true);
        done.await();
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        Latencies all = Latencies.merge(parts);
        if (firstError.get() != null) System.err.println("first failed request: " + firstError.get());
        return new Result(all.count() / elapsed, all, errors.get());
    }
}
