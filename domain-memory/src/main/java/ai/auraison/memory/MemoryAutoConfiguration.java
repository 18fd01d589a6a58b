package ai.auraison.memory;

import ai.auraison.memory.internal.MemoryConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Memory in any app with a PostgreSQL {@code DataSource} (the central runtime): the store, its queries, operator SQL,
 * Parquet export and their APIs under {@code /api/v1/memory}, and the projector when the app provides an
 * {@link ai.auraison.memory.spi.EventLogSource}.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnBean(javax.sql.DataSource.class)
@EnableConfigurationProperties(MemoryProperties.class)
@Import(MemoryConfiguration.class)
public class MemoryAutoConfiguration {}
