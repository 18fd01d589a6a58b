package ai.auraison.orchestration;

import ai.auraison.orchestration.internal.OrchestrationConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The orchestration core, on in any app with a PostgreSQL {@code DataSource} (the central runtime): registry,
 * admission, work queues, runs and their APIs under {@code /api/v1}.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnBean(javax.sql.DataSource.class)
@EnableConfigurationProperties(OrchestrationProperties.class)
@Import(OrchestrationConfiguration.class)
public class OrchestrationAutoConfiguration {}
