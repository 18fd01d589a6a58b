package ai.auraison.memory.internal;

import ai.auraison.memory.MemoryApi;
import ai.auraison.memory.MemoryMetrics;
import ai.auraison.memory.MemoryProperties;
import ai.auraison.memory.MemoryStore;
import ai.auraison.memory.PostgresLeadership;
import ai.auraison.memory.ProjectorLifecycle;
import ai.auraison.memory.spi.EventLogSource;
import ai.auraison.platform.DataDirectory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** Wires memory; imported by {@code MemoryAutoConfiguration}. */
@Configuration(proxyBeanMethods = false)
@Import(MemoryApi.class)
public class MemoryConfiguration {

    @Bean(destroyMethod = "close")
    MemoryStore memoryStore(
            MemoryProperties properties, DataDirectory dataDirectory, DataSource dataSource, Environment env) {
        Path memoryDir = dataDirectory.resolve("memory");
        Path file = properties.file() != null ? properties.file() : memoryDir.resolve("memory.duckdb");
        Path extensions = properties.extensionDirectory() != null
                ? properties.extensionDirectory()
                : dataDirectory.root().resolve("duckdb-extensions");
        MemoryStore.Lake lake = lakeIfUsed(properties, memoryDir, dataSource, env);
        return MemoryStore.open(new MemoryStore.Settings(
                properties.mode(), file, lake, extensions, memoryDir.resolve("tmp"), properties.memoryLimit()));
    }

    /**
     * The lake, unless the mode is {@code duckdb} and so never opens one: setting up a PostgreSQL catalog connects to
     * the database and creates its schema. Mode {@code auto} needs the lake at hand, since {@link MemoryStore#open}
     * decides by the extension directory whether to open it.
     */
    static MemoryStore.Lake lakeIfUsed(
            MemoryProperties properties, Path memoryDir, DataSource dataSource, Environment env) {
        if (properties.mode() == MemoryStore.Mode.DUCKDB) return null;
        return lake(properties.lake(), memoryDir, dataSource, env);
    }

    static MemoryStore.Lake lake(MemoryProperties.Lake lake, Path memoryDir, DataSource dataSource, Environment env) {
        String dataPath = lake.dataPath() != null ? lake.dataPath() : memoryDir.resolve("lake") + "/";
        MemoryProperties.S3 s3 = lake.s3();
        MemoryStore.ObjectStore store = s3.accessKeyId() == null
                ? null
                : new MemoryStore.ObjectStore(
                        s3.endpoint(),
                        s3.region(),
                        s3.accessKeyId(),
                        s3.secretAccessKey(),
                        s3.useSsl(),
                        s3.pathStyle());
        String catalog = lake.catalog();
        if ("local".equals(catalog)) {
            return new MemoryStore.Lake(memoryDir.resolve("lake.ducklake").toString(), null, dataPath, store);
        }
        if ("postgres".equals(catalog)) {
            String url = env.getProperty("spring.datasource.url");
            String user = env.getProperty("spring.datasource.username");
            String password = env.getProperty("spring.datasource.password");
            if (url == null || url.isBlank()) {
                try (Connection c = dataSource.getConnection()) {
                    url = c.getMetaData().getURL();
                    user = c.getMetaData().getUserName();
                } catch (SQLException e) {
                    throw new IllegalStateException(
                            "cannot read the PostgreSQL connection for the DuckLake catalog", e);
                }
            }
            createSchema(dataSource, lake.metadataSchema());
            return MemoryStore.Lake.postgres(url, user, password, lake.metadataSchema(), dataPath, store);
        }
        if (catalog.startsWith("postgres:"))
            return new MemoryStore.Lake(catalog, lake.metadataSchema(), dataPath, store);
        throw new IllegalArgumentException(
                "auraison.memory.lake.catalog must be local, postgres or postgres:<connection string>, was " + catalog);
    }

    private static void createSchema(DataSource dataSource, String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("auraison.memory.lake.metadata-schema must be a plain name: " + schema);
        }
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the DuckLake catalog schema " + schema, e);
        }
    }

    @Bean
    ProjectorLifecycle memoryProjector(
            MemoryStore store,
            ObjectProvider<EventLogSource> sources,
            DataSource dataSource,
            MemoryProperties properties,
            MemoryMetrics metrics,
            ApplicationEventPublisher events) {
        return ProjectorLifecycle.of(
                store,
                sources.getIfAvailable(),
                new PostgresLeadership(dataSource, PostgresLeadership.keyFor(store.identity())),
                properties.projector(),
                metrics,
                events::publishEvent);
    }
}
