package ai.auraison.memory;

import ai.auraison.memory.spi.Leadership;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A projector in a process of its own, for tests that kill it: tails a {@link PostgresEventLog} into a store under the
 * PostgreSQL advisory-lock leadership, and at {@code halt=POINT:BATCH} prints {@code HALTED} and stops dead so that the
 * test can kill it exactly there. Prints {@code LEADER} once it leads.
 *
 * <pre>ProjectorProcess store=duckdb|pglake dir=... url=... user=... password=... batch=50 [halt=ROWS_WRITTEN:3]</pre>
 */
public final class ProjectorProcess {

    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(a.get("url"));
        ds.setUser(a.get("user"));
        ds.setPassword(a.get("password"));
        Path dir = Path.of(a.get("dir"));
        var db = new ai.auraison.testfixtures.TestDatabase("log", a.get("url"), a.get("user"), a.get("password"));
        MemoryStore.Settings settings = switch (a.get("store")) {
            case "duckdb" -> TestStores.embedded(dir);
            case "pglake" -> TestStores.postgresLake(db, dir);
            default -> throw new IllegalArgumentException(a.get("store"));
        };
        String[] halt = a.containsKey("halt") ? a.get("halt").split(":") : null;
        Projector.Probe probe = (point, batch) -> {
            if (halt != null && point.name().equals(halt[0]) && batch == Long.parseLong(halt[1])) {
                System.out.println("HALTED " + point + " " + batch);
                System.out.flush();
                while (true) LockSupport.park();
            }
        };
        MemoryStore store = MemoryStore.open(settings);
        Leadership leadership = new PostgresLeadership(ds, PostgresLeadership.keyFor(store.identity()));
        Projector projector = new Projector(
                store,
                new PostgresEventLog(ds),
                leadership,
                new Projector.Options(
                        Integer.parseInt(a.getOrDefault("batch", "50")), 1000, Duration.ofMillis(20), probe),
                MemoryMetrics.none(),
                null);
        projector.start();
        while (!projector.isLeader())
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        System.out.println("LEADER");
        System.out.flush();
        while (true) LockSupport.park();
    }
}
