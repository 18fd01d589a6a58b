package ai.auraison.edge.internal;

import ai.auraison.edge.internal.store.EdgeStore;
import ai.auraison.memory.MemoryApi;
import ai.auraison.memory.MemoryMetrics;
import ai.auraison.memory.MemoryProperties;
import ai.auraison.memory.MemoryStore;
import ai.auraison.memory.ProjectorLifecycle;
import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.memory.spi.EventLogSource;
import ai.auraison.memory.spi.Leadership;
import ai.auraison.memory.spi.LoggedEvent;
import ai.auraison.platform.DataDirectory;
import java.nio.file.Path;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The edge's local view of memory (issue 7): the same projector and queries as central, over the edge's own event log
 * (the DuckDB outbox, which holds every event of the edge's runs, shipped or not) into its own DuckDB file
 * {@code <data>/memory/memory.duckdb}, served under {@code /api/v1/memory} on the edge. One process owns the file, so
 * the projector is always the leader. Settings under {@code auraison.memory} as on central (the DuckLake modes are
 * central's: the edge always projects into a plain DuckDB file).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MemoryProperties.class)
@Import(MemoryApi.class)
class EdgeMemoryConfiguration {

    @Bean(destroyMethod = "close")
    MemoryStore memoryStore(MemoryProperties properties, DataDirectory data) {
        Path dir = data.resolve("memory");
        Path file = properties.file() != null ? properties.file() : dir.resolve("memory.duckdb");
        return MemoryStore.open(new MemoryStore.Settings(
                MemoryStore.Mode.DUCKDB,
                file,
                null,
                properties.extensionDirectory(),
                dir.resolve("tmp"),
                properties.memoryLimit()));
    }

    /** The edge's event log for the projector: the outbox in position order (one writer, so no late gaps). */
    @Bean
    EventLogSource edgeEventLog(EdgeStore store) {
        return (after, max) -> store.log(after.position(), max).stream()
                .map(r -> new LoggedEvent(
                        new Checkpoint(0, r.position()),
                        r.tenant(),
                        r.eventId(),
                        r.runId(),
                        r.seq(),
                        r.kind(),
                        r.ts(),
                        r.body()))
                .toList();
    }

    @Bean
    ProjectorLifecycle memoryProjector(
            MemoryStore store,
            EventLogSource log,
            MemoryProperties properties,
            MemoryMetrics metrics,
            ApplicationEventPublisher events) {
        return ProjectorLifecycle.of(
                store, log, Leadership.sole(), properties.projector(), metrics, events::publishEvent);
    }
}
