package ai.auraison.memory;

import ai.auraison.memory.spi.Leadership;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership as a PostgreSQL session-level advisory lock held on a connection of its own. When the holder dies, its
 * connection closes and PostgreSQL frees the lock, so another replica's next {@link #tryAcquire()} takes it. Every
 * call checks that the holding connection is still alive; a lost connection means a lost leadership.
 */
public final class PostgresLeadership implements Leadership {

    private static final Logger log = LoggerFactory.getLogger(PostgresLeadership.class);

    private final DataSource dataSource;
    private final long key;
    private Connection connection;

    /** Leadership over the lock {@code key} of {@code dataSource}'s database. */
    public PostgresLeadership(DataSource dataSource, long key) {
        this.dataSource = dataSource;
        this.key = key;
    }

    /** A stable 64-bit lock key for a store identity (FNV-1a), so every replica of one store derives the same key. */
    public static long keyFor(String identity) {
        long h = 0xcbf29ce484222325L;
        for (byte b : ("auraison.memory.projector|" + identity).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The advisory lock key. */
    public long key() {
        return key;
    }

    @Override
    public synchronized boolean tryAcquire() {
        if (connection != null) {
            try {
                if (connection.isValid(2)) return true;
            } catch (SQLException e) {
                log.warn("the memory projector's lock connection failed: {}", e.getMessage());
            }
            log.warn("the memory projector lost its lock connection, and with it the leadership");
            closeConnection();
        }
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement p = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                p.setLong(1, key);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    if (r.getBoolean(1)) {
                        connection = c;
                        return true;
                    }
                }
            }
            c.close();
            return false;
        } catch (SQLException e) {
            log.warn("cannot try the memory projector's lock: {}", e.getMessage());
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the connection is unusable anyway
                }
            }
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (connection == null) return;
        try (PreparedStatement p = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            p.setLong(1, key);
            p.execute();
        } catch (SQLException e) {
            log.warn("cannot release the memory projector's lock: {}", e.getMessage());
        }
        closeConnection();
    }

    private void closeConnection() {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the lock connection: {}", e.getMessage());
        }
        connection = null;
    }
}
