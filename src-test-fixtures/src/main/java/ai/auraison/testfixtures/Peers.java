package ai.auraison.testfixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real test peers installed by {@code bin/setup-peers} under the project's {@code .peers/} folder.
 *
 * <p>A missing peer fails the test when peers are required ({@code AURAISON_PEERS_REQUIRED=1}, set by the test
 * command, or {@code CI=true}); otherwise the test is skipped with a loud message on standard error.
 */
public final class Peers {

    private Peers() {}

    /** The repository root: the nearest ancestor of the working directory that holds {@code mvnw}. */
    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve(".mvn"))) return dir;
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "not inside the Auraison repository: " + Path.of("").toAbsolutePath());
    }

    /** The {@code .peers} folder. */
    public static Path home() {
        return projectRoot().resolve(".peers");
    }

    /** The Python interpreter of the project-local virtualenv. */
    public static Path python() {
        return require(home().resolve("venv/bin/python"), "the Python virtualenv .peers/venv");
    }

    /** Whether a missing peer is a failure rather than a skip. */
    public static boolean required() {
        return "1".equals(System.getenv("AURAISON_PEERS_REQUIRED")) || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Returns {@code path} when it exists; otherwise fails (peers required) or skips the calling test with a loud
     * message naming {@code what} is missing.
     */
    public static Path require(Path path, String what) {
        if (Files.exists(path)) return path;
        String message = "test peer missing: " + what + " (" + path + "). Run ./test.sh, or bin/setup-peers once,"
                + " to install the test peers.";
        if (required()) {
            throw new IllegalStateException(message);
        }
        System.err.println();
        System.err.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        System.err.println("!! SKIPPED: " + message);
        System.err.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }
}
