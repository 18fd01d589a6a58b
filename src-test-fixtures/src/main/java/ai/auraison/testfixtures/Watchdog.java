package ai.auraison.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Stops a PostgreSQL server when this JVM dies, even by {@code kill -9}: a small shell process polls the JVM's pid
 * and sends the postmaster a fast-shutdown signal once the JVM is gone.
 */
final class Watchdog {

    private Watchdog() {}

    static void guard(Path dataDir) {
        long jvm = ProcessHandle.current().pid();
        String pidFile = dataDir.resolve("postmaster.pid").toString();
        String script = "while kill -0 " + jvm + " 2>/dev/null; do sleep 1; done; " + "[ -f '" + pidFile
                + "' ] && kill -INT \"$(head -n1 '" + pidFile + "')\" 2>/dev/null; exit 0";
        try {
            new ProcessBuilder("sh", "-c", script)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the PostgreSQL watchdog", e);
        }
    }
}
