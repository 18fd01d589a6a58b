package ai.auraison.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * One PostgreSQL schema per module, each migrated by its own Flyway history: a module ships its migrations as
 * {@code db/schemas/<schema>/V<n>__<what>.sql} on the classpath, and the schema {@code <schema>} is created and
 * migrated independently of the others (so modules number their migrations on their own).
 *
 * <p>Runs as soon as the app's {@link DataSource} bean exists, so every component that receives the data source
 * sees a migrated database.
 */
final class ModuleSchemas implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(ModuleSchemas.class);
    private static final Pattern SCHEMA_DIR = Pattern.compile(".*/db/schemas/([a-z][a-z0-9_]*)/[^/]+\\.sql$");

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !(bean instanceof NoMigration)) {
            migrate(dataSource);
        }
        return bean;
    }

    /** Marks a data source that must not be migrated (for example a second, read-only one). */
    public interface NoMigration {}

    /** The schemas that ship migrations on the classpath, in name order. */
    static Set<String> discover() {
        try {
            Resource[] resources =
                    new PathMatchingResourcePatternResolver().getResources("classpath*:db/schemas/*/*.sql");
            Set<String> schemas = new TreeSet<>();
            for (Resource r : resources) {
                Matcher m = SCHEMA_DIR.matcher(r.getURL().toString());
                if (m.matches()) schemas.add(m.group(1));
            }
            return schemas;
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the schema migrations on the classpath", e);
        }
    }

    /** Migrates every discovered schema; returns the schemas it migrated. */
    static List<String> migrate(DataSource dataSource) {
        List<String> done = new ArrayList<>();
        for (String schema : discover()) {
            var result = Flyway.configure(ModuleSchemas.class.getClassLoader())
                    .dataSource(dataSource)
                    .schemas(schema)
                    .defaultSchema(schema)
                    .createSchemas(true)
                    .locations("classpath:db/schemas/" + schema)
                    .table("flyway_schema_history")
                    .validateMigrationNaming(true)
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                log.info(
                        "schema {}: applied {} migration(s), now at version {}",
                        schema,
                        result.migrationsExecuted,
                        result.targetSchemaVersion);
            }
            done.add(schema);
        }
        return done;
    }
}
