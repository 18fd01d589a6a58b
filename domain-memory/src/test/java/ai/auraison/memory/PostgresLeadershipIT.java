package ai.auraison.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/** The advisory lock of {@link PostgresLeadership} on a pooled data source, as in the application (Hikari). */
class PostgresLeadershipIT {

    static final TestDatabase DB = PostgresFixture.newDatabase("memory_leadership");

    @AfterAll
    static void drop() {
        PostgresFixture.drop(DB);
    }

    @Test
    void aLockConnectionThatFailsItsCheckIsEvictedSoTheLockDiesWithItsSession() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(DB.jdbcUrl());
        config.setUsername(DB.username());
        config.setPassword(DB.password());
        config.setMaximumPoolSize(2);
        long key = PostgresLeadership.keyFor("leadership-it");
        AtomicBoolean broken = new AtomicBoolean();
        try (HikariDataSource pool = new HikariDataSource(config);
                PostgresLeadership leader = new PostgresLeadership(new Failing(pool, broken), key);
                PostgresLeadership other = new PostgresLeadership(DB.dataSource(), key)) {
            assertThat(leader.tryAcquire()).isTrue();
            assertThat(other.tryAcquire()).isFalse();

            // the holding connection fails its check (as on a network fault) while its session lives on
            broken.set(true);
            assertThat(leader.tryAcquire()).isFalse();

            // back in the pool, the session would hold the lock for good; evicted, it ends and frees the lock
            await().atMost(Duration.ofSeconds(20)).until(other::tryAcquire);
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        }
    }

    /**
     * A data source whose connections fail {@link Connection#isValid} once {@code broken} is set, and which then
     * hands out no new connections.
     */
    private static final class Failing extends DelegatingDataSource {

        private final AtomicBoolean broken;

        Failing(DataSource pool, AtomicBoolean broken) {
            super(pool);
            this.broken = broken;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (broken.get()) throw new SQLException("the test data source is down", "08001");
            Connection c = obtainTargetDataSource().getConnection();
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("isValid") && broken.get()) return false;
                        try {
                            return method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
