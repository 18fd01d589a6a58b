package ai.auraison.zenoh.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The batches captured from the real eclipse-zenoh by {@code tools/peers/zenoh/capture_vectors.py}. */
final class GoldenVectors {

    static final List<String> SCENARIOS = List.of("pubsub", "query", "liveliness", "fragment", "keepalive");

    /** One captured batch: which client, which direction, and the bytes after the length prefix. */
    record Batch(String scenario, String client, boolean fromClient, byte[] bytes) {
        String stream() {
            return scenario + "/" + client + (fromClient ? ":c2r" : ":r2c");
        }
    }

    private GoldenVectors() {}

    static List<Batch> load(String scenario) {
        try (InputStream in = GoldenVectors.class.getResourceAsStream("/vectors/" + scenario + ".txt")) {
            if (in == null) throw new IllegalStateException("missing vector file " + scenario);
            List<Batch> batches = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.trim().split(" ");
                String[] tag = parts[0].split(":");
                batches.add(new Batch(
                        scenario, tag[0], tag[1].equals("c2r"), HexFormat.of().parseHex(parts[1])));
            }
            return batches;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Batch> all() {
        List<Batch> all = new ArrayList<>();
        for (String scenario : SCENARIOS) all.addAll(load(scenario));
        return all;
    }
}
