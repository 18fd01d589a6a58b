package ai.auraison.orchestration;

import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The orchestration core in a minimal Boot app (no central runtime), for tests. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class OrchestrationTestApp {

    /** Fast timings so tests see leases expire and agents go silent within seconds. */
    static final String[] FAST = {
        "auraison.orchestration.lease-timeout=3s",
        "auraison.orchestration.heartbeat-timeout=3s",
        "auraison.orchestration.reaper-interval=200ms",
        "auraison.orchestration.depth-refresh=50ms",
        "auraison.orchestration.retry-backoff=200ms",
        "auraison.orchestration.max-retry-backoff=1s",
        "auraison.orchestration.max-poll-wait=10s",
        "server.address=127.0.0.1",
        "spring.main.banner-mode=off"
    };

    /** Starts one replica on a free port against {@code db}. */
    static ConfigurableApplicationContext start(TestDatabase db, Path dataDir, String... more) {
        // later settings replace earlier ones (repeated command-line options would be joined with commas)
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        List<String> all = new ArrayList<>(List.of(FAST));
        all.add("server.port=0");
        all.add("spring.datasource.url=" + db.jdbcUrl());
        all.add("spring.datasource.username=" + db.username());
        all.add("spring.datasource.password=" + db.password());
        all.add("auraison.data-dir=" + dataDir);
        all.addAll(List.of(more));
        for (String s : all) settings.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        String[] args = settings.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(OrchestrationTestApp.class).run(args);
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
