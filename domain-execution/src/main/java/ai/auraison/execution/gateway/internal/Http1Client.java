package ai.auraison.execution.gateway.internal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A small blocking HTTP/1.1 client for plain-HTTP providers (vLLM, local servers, the central gateway, the scripted
 * upstream), made for virtual threads: the calling thread writes the request and reads the response on a pooled
 * keep-alive socket itself, with no hand-off to selector or executor threads (the JDK client's hops cost hundreds of
 * microseconds per call on a small machine). Bodies are read as they arrive (Content-Length, chunked, or until
 * close); a connection goes back to the pool only once its body was read to the end, and closing a body early
 * closes the socket, which aborts the request upstream. A request that finds a pooled connection closed by the
 * server before any response byte is sent once more on a new connection. Thread-safe.
 */
final class Http1Client implements AutoCloseable {

    private static final int MAX_IDLE_PER_HOST = 512;
    private static final long MAX_IDLE_NANOS = Duration.ofSeconds(20).toNanos();

    private final Map<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private final Duration connectTimeout;
    private volatile boolean closed;

    Http1Client(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    UpstreamResponse post(URI url, Map<String, String> headers, byte[] body, Duration firstByteTimeout)
            throws IOException {
        String host = url.getHost();
        int port = url.getPort() < 0 ? 80 : url.getPort();
        String key = host + ":" + port;
        byte[] request = request(url, host, port, headers, body);
        Connection c = pooled(key);
        if (c != null) {
            try {
                return c.exchange(request, firstByteTimeout);
            } catch (StaleConnectionException e) {
                c.close();
            } catch (IOException e) {
                c.close();
                throw e;
            }
        }
        c = new Connection(key, host, port, connectTimeout);
        try {
            return c.exchange(request, firstByteTimeout);
        } catch (IOException e) {
            c.close();
            throw e instanceof StaleConnectionException ? new IOException("the upstream closed the connection", e) : e;
        }
    }

    private Connection pooled(String key) {
        ConcurrentLinkedDeque<Connection> deque = idle.get(key);
        if (deque == null) return null;
        long now = System.nanoTime();
        Connection c;
        while ((c = deque.pollFirst()) != null) {
            if (now - c.idleSince < MAX_IDLE_NANOS) return c;
            c.close();
        }
        return null;
    }

    private void release(Connection c) {
        if (closed) {
            c.close();
            return;
        }
        ConcurrentLinkedDeque<Connection> deque = idle.computeIfAbsent(c.key, k -> new ConcurrentLinkedDeque<>());
        c.idleSince = System.nanoTime();
        if (deque.size() >= MAX_IDLE_PER_HOST) c.close();
        else deque.addFirst(c);
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(d -> {
            Connection c;
            while ((c = d.pollFirst()) != null) c.close();
        });
    }

    private static byte[] request(URI url, String host, int port, Map<String, String> headers, byte[] body) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
        StringBuilder head = new StringBuilder(256)
                .append("POST ")
                .append(path)
                .append(" HTTP/1.1\r\nHost: ")
                .append(host)
                .append(':')
                .append(port)
                .append("\r\nContent-Length: ")
                .append(body.length)
                .append("\r\n");
        headers.forEach((name, value) -> {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("header " + name + " has a line break");
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** The pooled connection was closed by the server before it answered: safe to send again. */
    private static final class StaleConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnectionException(String message) {
            super(message);
        }
    }

    private final class Connection {
        final String key;
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        long idleSince;

        Connection(String key, String host, int port, Duration connectTimeout) throws IOException {
            this.key = key;
            this.socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = socket.getOutputStream();
        }

        UpstreamResponse exchange(byte[] request, Duration firstByteTimeout) throws IOException {
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                throw new StaleConnectionException(e.getMessage());
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, firstByteTimeout.toMillis())));
            String statusLine;
            try {
                statusLine = line(true);
            } catch (SocketTimeoutException e) {
                throw new HttpTimeoutException("no response within " + firstByteTimeout.toMillis() + " ms");
            }
            Map<String, String> headers = new HashMap<>();
            try {
                for (String h = line(false); !h.isEmpty(); h = line(false)) {
                    int colon = h.indexOf(':');
                    if (colon > 0) {
                        headers.putIfAbsent(
                                h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                h.substring(colon + 1).trim());
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new HttpTimeoutException(
                        "no complete response head within " + firstByteTimeout.toMillis() + " ms");
            }
            socket.setSoTimeout(0); // from here the stream watchdog decides what is too slow
            if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x response: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            boolean reusable =
                    !"close".equalsIgnoreCase(headers.get("connection")) && statusLine.startsWith("HTTP/1.1");
            InputStream body;
            String length = headers.get("content-length");
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = new Chunked(this, reusable);
            else if (length != null) body = new Fixed(this, Long.parseLong(length), reusable);
            else body = new UntilClose(this);
            return new UpstreamResponse() {
                @Override
                public int status() {
                    return status;
                }

                @Override
                public String header(String name) {
                    return headers.get(name.toLowerCase(Locale.ROOT));
                }

                @Override
                public InputStream body() {
                    return body;
                }
            };
        }

        /** Reads a line; on the first line of a response, an end of stream means the server had closed the socket. */
        private String line(boolean first) throws IOException {
            StringBuilder s = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (first && s.isEmpty()) throw new StaleConnectionException("connection closed by the upstream");
                    throw new EOFException("the upstream closed the connection mid-response");
                }
                if (b == '\n') {
                    int n = s.length();
                    if (n > 0 && s.charAt(n - 1) == '\r') s.setLength(n - 1);
                    return s.toString();
                }
                if (s.length() > 16 * 1024) throw new IOException("response header line too long");
                s.append((char) b);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** A body; returns its connection to the pool when read to the end, closes it when abandoned. */
    private abstract class Body extends InputStream {
        final Connection c;
        final boolean reusable;
        boolean done;
        boolean closed;

        Body(Connection c, boolean reusable) {
            this.c = c;
            this.reusable = reusable;
        }

        void finished() {
            if (done) return;
            done = true;
            if (reusable) release(c);
            else c.close();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (!done) {
                done = true;
                c.close(); // abandoned mid-body: abort
            }
        }
    }

    private final class Fixed extends Body {
        long remaining;

        Fixed(Connection c, long length, boolean reusable) {
            super(c, reusable);
            this.remaining = length;
            if (length == 0) finished();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("closed");
            if (remaining == 0) return -1;
            int n = c.in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0)
                throw new EOFException("the upstream closed the connection with " + remaining + " bytes missing");
            remaining -= n;
            if (remaining == 0) finished();
            return n;
        }
    }

    private final class Chunked extends Body {
        long chunk = -1; // bytes left in the current chunk; -1 before the first

        Chunked(Connection c, boolean reusable) {
            super(c, reusable);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("closed");
            if (done) return -1;
            if (chunk <= 0) {
                if (chunk == 0) c.line(false); // CRLF after the previous chunk
                String size = c.line(false);
                int semi = size.indexOf(';');
                chunk = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (chunk == 0) {
                    while (!c.line(false).isEmpty()) {
                        // trailers are not used
                    }
                    finished();
                    return -1;
                }
            }
            int n = c.in.read(b, off, (int) Math.min(len, chunk));
            if (n < 0) throw new EOFException("the upstream closed the connection mid-chunk");
            chunk -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return chunk > 0 ? (int) Math.min(chunk, c.in.available()) : 0;
        }
    }

    private final class UntilClose extends Body {
        UntilClose(Connection c) {
            super(c, false);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("closed");
            int n = c.in.read(b, off, len);
            if (n < 0) finished();
            return n;
        }
    }
}
