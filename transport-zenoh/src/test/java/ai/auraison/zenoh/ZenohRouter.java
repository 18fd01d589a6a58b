package ai.auraison.zenoh;

import ai.auraison.testfixtures.Peers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real Zenoh router (eclipse-zenoh in router mode, {@code tools/peers/zenoh/router.py}) on a free loopback port.
 * {@link #restart()} stops it and starts it again on the same port. The process dies with the test JVM (it exits
 * when its stdin closes) and is killed by {@link #close()}.
 */
final class ZenohRouter implements AutoCloseable {

    private final Path python;
    private final int port;
    private Process process;

    private ZenohRouter(Path python, int port) {
        this.python = python;
        this.port = port;
    }

    static ZenohRouter start() {
        ZenohRouter router = new ZenohRouter(Peers.python(), freePort());
        router.launch();
        return router;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path script(String name) {
        return Peers.projectRoot().resolve("tools/peers/zenoh").resolve(name);
    }

    String endpoint() {
        return "tcp/127.0.0.1:" + port;
    }

    Config clientConfig() {
        try {
            return Config.client(endpoint())
                    .insertJson5("connect/retry", "{period_init_ms: 50, period_max_ms: 500}")
                    .insertJson5("transport/link/tx/lease", "3000");
        } catch (ZError e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns once the router has processed everything {@code session} sent so far: a router handles the messages of
     * one link in order, so when a get nobody answers comes back, earlier declarations are in its tables. Zenoh has no
     * acknowledgement for declarations, so a test that declares on one session and publishes from another waits here.
     */
    static void awaitRouted(Session session) {
        try {
            java.util.Optional<Reply> end = session.get(KeyExpr.of("sync/" + java.util.UUID.randomUUID()))
                    .poll(10, TimeUnit.SECONDS);
            if (end == null || end.isPresent()) throw new IllegalStateException("the router did not answer the sync");
        } catch (ZError e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch() {
        try {
            process = new ProcessBuilder(python.toString(), script("router.py").toString(), "--listen", endpoint())
                    .redirectErrorStream(true)
                    .start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                        try {
                            String l;
                            while ((l = out.readLine()) != null) if (l.startsWith("READY")) return l;
                            return null;
                        } catch (IOException e) {
                            return null;
                        }
                    })
                    .get(20, TimeUnit.SECONDS);
            if (line == null) throw new IllegalStateException("the Zenoh router did not start on " + endpoint());
            Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start the Zenoh router: " + e, e);
        }
    }

    void stop() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
    }
}
