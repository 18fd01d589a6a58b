package ai.auraison.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The app's data directory ({@code auraison.data-dir}): created if missing and checked writable at start-up, so a
 * misconfigured directory stops the app with one clear line instead of failing later.
 */
public final class DataDirectory {

    private final Path root;

    DataDirectory(Path configured) {
        this.root = configured.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            Path probe = Files.createTempFile(root, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new DataDirectoryNotWritableException(root, e);
        }
    }

    /** The absolute data directory. */
    public Path root() {
        return root;
    }

    /** A sub-directory, created if missing. */
    public Path resolve(String child) {
        Path dir = root.resolve(child);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataDirectoryNotWritableException(dir, e);
        }
        return dir;
    }

    /** Thrown at start-up when the data directory cannot be created or written. */
    public static final class DataDirectoryNotWritableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Path path;

        public DataDirectoryNotWritableException(Path path, Throwable cause) {
            super("data directory " + path + " is not writable (" + cause + ")", cause);
            this.path = path;
        }

        public Path path() {
            return path;
        }
    }
}
