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

    @Override
    public synchronized boolean tryAcquire() {
        if (connection != null) {
            try {
                if (connection.isValid(2)) return true;
            } catch (SQLException e) {
                log.warn("the memory projector's lock connection failed: {}", e.getMessage());
            }
            log.warn("the memory projector lost its lock connection, and with it the leadership");
            evict(connection);
            connection = null;
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
            // whether the lock was taken before the failure is unknown: the session must end, not go back to a pool
            if (c != null) evict(c);
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (connection == null) return;
        boolean released = false;
        try (PreparedStatement p = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            p.setLong(1, key);
            p.execute();
            released = true;
        } catch (SQLException e) {
            log.warn("cannot release the memory projector's lock: {}", e.getMessage());
        }
        if (released) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the lock connection: {}", e.getMessage());
            }
        } else {
            evict(connection);
        }
        connection = null;
    }

    /**
     * Ends {@code c}'s session, and with it any advisory lock it holds, instead of handing it back to a pool where it
     * would live on holding the lock. Aborting closes the physical connection; the pool then finds it broken when it
     * is closed and discards it.
     */
    private static void evict(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            log.debug("aborting the lock connection: {}", e.getMessage());
        }
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing the aborted lock connection: {}", e.getMessage());
        }
    }
}
