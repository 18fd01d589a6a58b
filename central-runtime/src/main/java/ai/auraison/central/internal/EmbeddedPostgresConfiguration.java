package ai.auraison.central.internal;

import ai.auraison.central.CentralProperties;
import ai.auraison.platform.DataDirectory;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Zero-configuration persistence: when {@code spring.datasource.url} is not set, the central runtime starts its own
 * PostgreSQL with its data under {@code <data-dir>/postgres}, listening on loopback only, and stops it when the app
 * stops (the pool closes first, then the server). {@code spring.datasource.hikari.*} still tunes the pool.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedPostgresConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(DataDirectory dataDirectory, CentralProperties properties) {
        return EmbeddedPostgresServer.start(
                dataDirectory.root(), properties.embeddedPostgres().port());
    }

    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer server) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(server.jdbcUrl());
        ds.setUsername(EmbeddedPostgresServer.USER);
        ds.setPoolName("central-embedded");
        return ds;
    }
}
