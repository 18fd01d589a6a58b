package ai.auraison.deploy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One of the apps started from its built executable jar as a separate process, with its log in a file. */
final class AppProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private AppProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static Path repository() {
        return Path.of(System.getProperty("auraison.jars", ".."))
                .toAbsolutePath()
                .normalize();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code module}'s jar with {@code args} on a free port and waits until it is healthy. */
    static AppProcess start(String module, Path dataDir, String... args) throws IOException {
        return start(module, dataDir, freePort(), java.util.Map.of(), args);
    }

    /** As {@link #start(String, Path, String...)}, with extra environment variables. */
    static AppProcess start(String module, Path dataDir, java.util.Map<String, String> env, String... args)
            throws IOException {
        return start(module, dataDir, freePort(), env, args);
    }

    /** Starts {@code module}'s jar with {@code args} on {@code port} and waits until it answers health. */
    static AppProcess start(String module, Path dataDir, int port, String... args) throws IOException {
        return start(module, dataDir, port, java.util.Map.of(), args);
    }

    /** Starts {@code module}'s jar with {@code args} and {@code env} on {@code port}; waits until it answers health. */
    static AppProcess start(String module, Path dataDir, int port, java.util.Map<String, String> env, String... args)
            throws IOException {
        Path jar = repository().resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.exists(jar)) throw new IllegalStateException("build " + module + " first: " + jar + " is missing");
        Path log = Files.createTempFile(module + "-", ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m",
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--auraison.data-dir=" + dataDir));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(repository().toFile());
        builder.environment().putAll(env);
        Process process =
                builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AppProcess app = new AppProcess(module, process, port, log);
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) throw new IllegalStateException(module + " exited: " + app.logTail());
                        return app.healthy();
                    });
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    boolean healthy() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(url("/actuator/health"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            // an edge without central reports DEGRADED, still with HTTP 200
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Everything the process wrote so far. */
    String log() throws IOException {
        return Files.readString(log);
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() {
        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    @Override
    public String toString() {
        return name + "@" + port;
    }
}
