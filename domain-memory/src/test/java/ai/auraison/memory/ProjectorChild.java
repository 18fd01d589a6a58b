package ai.auraison.memory;

import ai.auraison.testfixtures.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A running {@link ProjectorProcess}: its standard output as lines, and a way to kill it (SIGKILL). */
final class ProjectorChild implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ProjectorChild(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) lines.add(line);
            } catch (IOException e) {
                lines.add("EOF " + e.getMessage());
            }
            lines.add("EOF");
        });
    }

    static ProjectorChild start(String store, Path dir, TestDatabase db, String halt) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                ProjectorProcess.class.getName(),
                "store=" + store,
                "dir=" + dir,
                "url=" + db.jdbcUrl(),
                "user=" + db.username(),
                "password=" + db.password(),
                "batch=50"));
        if (halt != null) command.add("halt=" + halt);
        return new ProjectorChild(new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
    }

    /** Waits (up to a minute) for a line starting with {@code prefix}; fails on end of output. */
    String await(String prefix) throws InterruptedException {
        while (true) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) throw new AssertionError("no '" + prefix + "' from the projector process within 60 s");
            if (line.startsWith(prefix)) return line;
            if (line.startsWith("EOF")) throw new AssertionError("the projector process ended before '" + prefix + "'");
        }
    }

    /** Kills the process without giving it a chance to clean up, and waits for it to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
