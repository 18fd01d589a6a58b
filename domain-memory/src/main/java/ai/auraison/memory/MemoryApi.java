package ai.auraison.memory;

import ai.auraison.memory.internal.MemoryControllers;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The memory API ({@code /api/v1/memory/**}) for an app that composes memory itself instead of through
 * {@link MemoryAutoConfiguration} (the edge runtime: its own DuckDB file, its own event log, no PostgreSQL). The app
 * provides the {@link MemoryStore}, {@link MemoryQueries}, {@link ReadOnlySql}, {@link ParquetExport} and
 * {@link ProjectorLifecycle} beans.
 */
@Configuration(proxyBeanMethods = false)
@Import(MemoryControllers.class)
public class MemoryApi {}
