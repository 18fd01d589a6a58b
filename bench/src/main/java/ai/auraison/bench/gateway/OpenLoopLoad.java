package ai.auraison.bench.gateway;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP/1.1 load generator on raw loopback sockets: requests are started on a fixed schedule whatever
 * the responses do, and each latency is measured from the request's scheduled start (so queueing behind a slow
 * server counts, no coordinated omission). Keep-alive connections are pooled; a request finds an idle one or opens
 * a new one (at most {@code maxConnections}). Bounded by its duration; stops by itself.
 */
final class OpenLoopLoad {

    /** Latencies in nanoseconds plus counts. */
    record Result(long[] latenciesNanos, int errors, int sent, Duration elapsed) {
        long percentile(double p) {
            if (latenciesNanos.length == 0) return 0;
            int i = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
            return latenciesNanos[Math.max(0, Math.min(i, latenciesNanos.length - 1))];
        }

        double achievedRate() {
            return latenciesNanos.length / (elapsed.toNanos() / 1e9);
        }
    }

    private final int port;
    private final byte[] request;
    private final int maxConnections;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger open = new AtomicInteger();

    OpenLoopLoad(int port, String path, String body, Map<String, String> headers, int maxConnections) {
        this.port = port;
        this.maxConnections = maxConnections;
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: application/json\r\nAccept: */*\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        head.append("Content-Length: ").append(bodyBytes.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        this.request = Arrays.copyOf(headBytes, headBytes.length + bodyBytes.length);
        System.arraycopy(bodyBytes, 0, request, headBytes.length, bodyBytes.length);
    }

    /** Sends at {@code rate} requests per second for {@code duration}; returns the sorted latencies. */
    Result run(int rate, Duration duration) throws InterruptedException {
        int total = (int) (rate * duration.toMillis() / 1000);
        long[] latencies = new long[total];
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 20_000) LockSupport.parkNanos(wait - 10_000);
                while (System.nanoTime() < due) Thread.onSpinWait();
                workers.execute(() -> {
                    try {
                        exchange();
                        latencies[done.getAndIncrement()] = System.nanoTime() - due;
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                });
            }
            workers.shutdown();
            if (!workers.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("responses still missing 30 s after the run");
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long[] measured = Arrays.copyOf(latencies, done.get());
        Arrays.sort(measured);
        return new Result(measured, errors.get(), total, elapsed);
    }

    void close() {
        Connection c;
        while ((c = idle.poll()) != null) c.close();
    }

    /** Why requests failed, by message, for the report. */
    final Map<String, AtomicInteger> failures = new java.util.concurrent.ConcurrentHashMap<>();

    private void exchange() throws IOException {
        Connection c = idle.poll();
        boolean reused = c != null;
        if (c == null) c = connect();
        try {
            if (c.exchange(request)) idle.add(c);
            else drop(c);
        } catch (Connection.StaleException e) {
            drop(c);
            if (!reused) throw fail(e);
            // the server closed an idle keep-alive connection before we reused it: once more on a new one
            Connection fresh = connect();
            try {
                if (fresh.exchange(request)) idle.add(fresh);
                else drop(fresh);
            } catch (IOException again) {
                drop(fresh);
                throw fail(again);
            }
        } catch (IOException e) {
            drop(c);
            throw fail(e);
        }
    }

    private IOException fail(IOException e) {
        failures.computeIfAbsent(String.valueOf(e.getMessage()), k -> new AtomicInteger())
                .incrementAndGet();
        return e;
    }

    private Connection connect() throws IOException {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            throw fail(new IOException("connection limit reached"));
        }
        try {
            return new Connection(port);
        } catch (IOException e) {
            open.decrementAndGet();
            throw fail(e);
        }
    }

    private void drop(Connection c) {
        c.close();
        open.decrementAndGet();
    }

    /** One keep-alive connection: writes a request, reads one whole response (length-delimited or chunked). */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }

        /** Thrown when the connection was already closed by the server before any byte of a response. */
        static final class StaleException extends IOException {
            private static final long serialVersionUID = 1L;

            StaleException(String message) {
                super(message);
            }
        }

        /** Sends one request and reads its response; false when the server closes the connection after it. */
        boolean exchange(byte[] request) throws IOException {
            String status;
            try {
                out.write(request);
                out.flush();
                status = line();
            } catch (IOException e) {
                throw new StaleException("stale connection: " + e.getMessage());
            }
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("unexpected status: " + status);
            }
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) continue;
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("content-length")) length = Long.parseLong(value);
                if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) chunked = true;
                if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) close = true;
            }
            if (chunked) {
                while (true) {
                    String size = line();
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        while (!line().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    skip(n);
                    line();
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                throw new IOException("response without length");
            }
            return !close;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) {
                    if (in.read() < 0) throw new IOException("eof in body");
                    k = 1;
                }
                n -= k;
            }
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder(64);
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    int len = s.length();
                    if (len > 0 && s.charAt(len - 1) == '\r') s.setLength(len - 1);
                    return s.toString();
                }
                s.append((char) b);
            }
            throw new IOException("eof");
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
