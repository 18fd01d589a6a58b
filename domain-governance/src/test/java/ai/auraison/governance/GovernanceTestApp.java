package ai.auraison.governance;

import ai.auraison.platform.ApprovalDecided;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/** The governance domain in a minimal Boot app (no orchestration), for tests. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class GovernanceTestApp {

    /** The bootstrap admin key the tests use. */
    public static final String ADMIN_KEY = "test-bootstrap-admin-key-0123456789abcdef";

    /** A listener of approval decisions that fails once for each subject a test names (as a failing consumer would). */
    static final class FailingApprovalListener {
        static final Set<String> FAIL_ONCE = ConcurrentHashMap.newKeySet();

        @EventListener
        void on(ApprovalDecided decided) {
            if (FAIL_ONCE.remove(decided.subjectRef())) {
                throw new IllegalStateException("the test's listener failed on " + decided.subjectRef());
            }
        }
    }

    @Bean
    FailingApprovalListener failingApprovalListener() {
        return new FailingApprovalListener();
    }

    /** Starts one replica on a free port against {@code db}; later settings replace earlier ones. */
    static ConfigurableApplicationContext start(TestDatabase db, Path dataDir, String... more) {
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(List.of(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "spring.datasource.url=" + db.jdbcUrl(),
                "spring.datasource.username=" + db.username(),
                "spring.datasource.password=" + db.password(),
                "auraison.data-dir=" + dataDir,
                "auraison.governance.bootstrap-admin-key=" + ADMIN_KEY));
        all.addAll(List.of(more));
        for (String s : all) settings.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        String[] args = settings.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(GovernanceTestApp.class).run(args);
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
