package ai.auraison.memory;

import ai.auraison.memory.internal.MemoryControllers;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The memory API ({@code /api/v1/memory/**}) and what it reads with: queries, operator SQL, Parquet export and the
 * metrics, over the app's {@link MemoryStore}. {@link MemoryAutoConfiguration} uses it on central; an app that composes
 * memory itself (the edge runtime: its own DuckDB file and event log, no PostgreSQL) imports it and provides the
 * {@link MemoryStore} and {@link ProjectorLifecycle} beans.
 */
@Configuration(proxyBeanMethods = false)
@Import(MemoryControllers.class)
public class MemoryApi {

    @Bean
    MemoryMetrics memoryMetrics(MeterRegistry registry) {
        return new MemoryMetrics(registry);
    }

    @Bean
    MemoryQueries memoryQueries(MemoryStore store) {
        return new MemoryQueries(store);
    }

    @Bean(destroyMethod = "close")
    ReadOnlySql readOnlySql(MemoryStore store, MemoryProperties properties, MemoryMetrics metrics) {
        return new ReadOnlySql(
                store, properties.sql().timeout(), properties.sql().maxRows(), metrics);
    }

    @Bean
    ParquetExport parquetExport(MemoryStore store) {
        return new ParquetExport(store);
    }
}
