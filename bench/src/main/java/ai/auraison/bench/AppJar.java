package ai.auraison.bench;

import ai.auraison.testfixtures.HttpJson;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An app started from its built jar for a benchmark, stopped with {@link #close()}. */
public final class AppJar implements AutoCloseable {

    private final Process process;
    private final int port;

    private AppJar(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code module}'s jar on {@code port} with {@code args} and waits for its health to answer 200. */
    public static AppJar start(String module, Path dataDir, int port, List<String> jvm, String... args)
            throws Exception {
        Path root = Path.of(System.getProperty("user.dir"));
        Path jar = root.resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.exists(jar)) throw new IllegalStateException("build " + module + " first: " + jar + " is missing");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx1g"));
        command.addAll(jvm);
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--auraison.data-dir=" + dataDir,
                "--logging.level.root=warn"));
        command.addAll(List.of(args));
        Files.createDirectories(dataDir);
        Process p = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve(module + ".log").toFile())
                .start();
        AppJar app = new AppJar(p, port);
        HttpJson api = app.api();
        for (int i = 0; i < 480; i++) {
            if (!p.isAlive())
                throw new IllegalStateException(module + " exited; see " + dataDir.resolve(module + ".log"));
            try {
                if (api.get("/actuator/health").status() == 200) return app;
            } catch (RuntimeException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        app.close();
        throw new IllegalStateException(module + " did not become healthy");
    }

    public HttpJson api() {
        return HttpJson.local(port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
