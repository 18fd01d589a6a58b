package ai.auraison.execution.gateway.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off upstream responses that go silent: each watched body must deliver a byte at least every idle timeout,
 * or the watchdog closes it and interrupts its reader, whose read then fails and is reported as an idle timeout.
 * One daemon thread checks all watches every 100 ms. Thread-safe.
 */
final class StreamWatchdog implements AutoCloseable {

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gateway-stream-watchdog");
        t.setDaemon(true);
        return t;
    });

    StreamWatchdog() {
        timer.scheduleWithFixedDelay(this::check, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Watches {@code body}, read by the current thread; close the returned stream when done. */
    Watched watch(InputStream body, Duration idleTimeout) {
        Watched w = new Watched(body, idleTimeout.toNanos(), Thread.currentThread());
        watched.add(w);
        return w;
    }

    private void check() {
        long now = System.nanoTime();
        for (Watched w : watched) {
            if (now - w.lastActivity > w.idleNanos) w.expire();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** A watched body. */
    final class Watched extends FilterInputStream {
        private final long idleNanos;
        private final Thread reader;
        private volatile long lastActivity = System.nanoTime();
        private boolean reading;
        private boolean expired;
        private boolean closed;

        private Watched(InputStream in, long idleNanos, Thread reader) {
            super(in);
            this.idleNanos = idleNanos;
            this.reader = reader;
        }

        /** Whether the watchdog cut this body off. */
        synchronized boolean expired() {
            return expired;
        }

        private void expire() {
            synchronized (this) {
                if (expired || closed) return;
                expired = true;
                if (reading) reader.interrupt();
            }
            watched.remove(this);
            try {
                in.close();
            } catch (IOException e) {
                // nothing more to do: the reader sees the failure
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            synchronized (this) {
                if (expired) throw new IOException("the upstream went silent");
                reading = true;
            }
            try {
                int n = in.read(b, off, len);
                lastActivity = System.nanoTime();
                return n;
            } finally {
                synchronized (this) {
                    reading = false;
                    if (expired) Thread.interrupted(); // the interrupt was for this read only
                }
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (this) {
                closed = true;
            }
            watched.remove(this);
            in.close();
        }
    }
}
