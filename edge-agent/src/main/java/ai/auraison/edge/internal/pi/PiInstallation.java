package ai.auraison.edge.internal.pi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Finds the project-local Pi installation (edge-agent's {@code node_modules}, installed by the build from the
 * committed lock file) and writes the Auraison extension out of the jar so Pi can load it.
 */
public final class PiInstallation {

    static final String CLI = "node_modules/@earendil-works/pi-coding-agent/dist/bundle/cli.js";
    static final String NODE = "node_modules/.bin/node";

    private PiInstallation() {}

    /** The folder holding Pi's {@code node_modules}: {@code configured}, or the nearest one from the working directory up. */
    public static Optional<Path> locate(Path configured) {
        if (configured != null)
            return Files.exists(configured.resolve(CLI)) ? Optional.of(configured) : Optional.empty();
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            for (Path candidate : List.of(dir, dir.resolve("edge-agent"))) {
                if (Files.exists(candidate.resolve(CLI)) && Files.exists(candidate.resolve(NODE)))
                    return Optional.of(candidate);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    public static Path node(Path home) {
        return home.resolve(NODE);
    }

    public static Path cli(Path home) {
        return home.resolve(CLI);
    }

    /** Writes the extension shipped in the jar to {@code folder} and returns its path. */
    public static Path writeExtension(Path folder) {
        try (InputStream in = PiInstallation.class.getClassLoader().getResourceAsStream("pi/auraison-edge.ts")) {
            if (in == null)
                throw new IllegalStateException("the Pi extension pi/auraison-edge.ts is missing from the jar");
            Files.createDirectories(folder);
            Path file = folder.resolve("auraison-edge.ts");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Pi extension to " + folder, e);
        }
    }
}
