package ai.auraison.governance.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log: per tenant an append-only chain of records, each carrying the hash of its predecessor and its own
 * hash over that and its content, so that altering, removing or reordering a stored record breaks the chain at that
 * record ({@link #verify}).
 *
 * <p>Administrative changes are appended at once, inside the caller's transaction ({@link #appendNow}). Decisions are
 * queued and written in batches by one writer thread ({@link #appendLater}); a batch takes the tenant's chain head
 * under a row lock, so replicas append to one chain without forks. A crash loses at most the decisions of the last
 * flush interval (the decisions themselves are also in the run log as {@code PolicyDecided} events).
 */
final class AuditLog implements AutoCloseable {

    /**
     * A record to append. {@code details} is free text, usually compact JSON. NUL, which PostgreSQL {@code text}
     * refuses, is replaced with U+FFFD in every field, so that no record is refused for it.
     */
    record Entry(
            String tenant,
            Instant at,
            String actor,
            String category,
            String action,
            String subject,
            String outcome,
            String details) {

        Entry {
            tenant = storable(tenant);
            actor = storable(actor);
            category = storable(category);
            action = storable(action);
            subject = storable(subject);
            outcome = storable(outcome);
            details = storable(details);
        }

        private static String storable(String field) {
            return field == null || field.indexOf('\u0000') < 0 ? field : field.replace('\u0000', '\uFFFD');
        }
    }

    /** A stored record. */
    record Stored(
            String tenant,
            long seq,
            Instant at,
            String actor,
            String category,
            String action,
            String subject,
            String outcome,
            String details,
            String prevHash,
            String hash) {}

    /** What verification found: records checked, and the first broken link (null when intact). */
    record Verification(String tenant, long checked, Broken firstBroken) {
        boolean intact() {
            return firstBroken == null;
        }
    }

    /** The first record whose link or content does not verify, and why. */
    record Broken(long seq, String reason) {}

    static final String DECISION = "decision";
    static final String ADMIN = "admin";

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final byte[] GENESIS = new byte[32];
    private static final int MAX_BATCH = 5000;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate tx;
    private final GovernanceMetrics metrics;
    private final BlockingQueue<Entry> queue;
    /** Records the writer could not write yet, written first next time; owned by the writer (guarded by this). */
    private final List<Entry> retry = new ArrayList<>();

    private final int capacity;
    private final Duration flushInterval;
    private final Thread writer;
    private volatile boolean closing;

    AuditLog(
            JdbcClient jdbc,
            JdbcTemplate template,
            TransactionTemplate tx,
            GovernanceMetrics metrics,
            Duration flushInterval,
            int capacity) {
        this.jdbc = jdbc;
        this.template = template;
        this.tx = tx;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.flushInterval = flushInterval;
        metrics.auditQueue(queue::size);
        this.writer = Thread.ofPlatform().name("governance-audit").daemon().start(this::drain);
    }

    /** Appends {@code entries} now, in the caller's transaction when there is one (else in its own). */
    void appendNow(Entry... entries) {
        if (entries.length == 0) return;
        tx.executeWithoutResult(status -> {
            Map<String, List<Entry>> byTenant = new LinkedHashMap<>();
            for (Entry e : entries)
                byTenant.computeIfAbsent(e.tenant(), k -> new ArrayList<>()).add(e);
            byTenant.forEach(this::appendChain);
        });
        metrics.auditWritten(entries.length);
    }

    /** Queues a decision record for the writer; waits (briefly) when the queue is full, then writes it itself. */
    void appendLater(Entry entry) {
        try {
            if (!queue.offer(entry, 1, TimeUnit.SECONDS)) {
                appendNow(entry);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            appendNow(entry);
            return;
        }
        LockSupport.unpark(writer);
    }

    /**
     * Writes everything queued so far (before a read, at shutdown). Records stay in the queue until they are drained
     * under this object's monitor, which this takes too: a record queued before the call is either written by the
     * time this returns or kept for a retry (or, while the retry list is full, left queued). When the database
     * refuses, the records stay for the writer's retry and this returns normally: a read then shows what is stored.
     */
    void flush() {
        try {
            writeQueued(Integer.MAX_VALUE);
        } catch (RuntimeException e) {
            // logged by write(); the records are kept in the retry list
        }
    }

    private void drain() {
        while (!closing) {
            boolean idle;
            synchronized (this) {
                idle = queue.isEmpty() && retry.isEmpty();
            }
            if (idle) {
                // appendLater unparks at once; the timeout only bounds a missed wake-up
                LockSupport.parkNanos(this, flushInterval.toNanos());
                continue;
            }
            try {
                writeQueued(MAX_BATCH);
            } catch (RuntimeException e) {
                log.warn("audit writer: could not write a batch, retrying: {}", e.toString());
                try {
                    Thread.sleep(flushInterval.multipliedBy(5));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Drains up to {@code max} queued records and writes them after what waits for a retry. New records are taken
     * only while the retry list has room (fewer than the queue's capacity): a tenant whose records the database
     * refuses does not hold up the others, and when the database refuses everything the retry list stops growing and
     * the bounded queue pushes back on callers.
     */
    private synchronized void writeQueued(int max) {
        List<Entry> batch = new ArrayList<>();
        int room = capacity - retry.size();
        if (room > 0) queue.drainTo(batch, Math.min(max, room));
        write(batch);
    }

    /**
     * Writes what waits for a retry, then {@code batch}, each tenant's records in its own transaction; the records of
     * a tenant the database refuses are kept for the next attempt (in order, ahead of its later ones) and the other
     * tenants' are written. Throws the first failure after trying every tenant.
     */
    private synchronized void write(List<Entry> batch) {
        List<Entry> all = new ArrayList<>(retry);
        all.addAll(batch);
        retry.clear();
        if (all.isEmpty()) return;
        Map<String, List<Entry>> byTenant = new LinkedHashMap<>();
        for (Entry e : all)
            byTenant.computeIfAbsent(e.tenant(), k -> new ArrayList<>()).add(e);
        RuntimeException failure = null;
        int failedTenants = 0;
        for (var group : byTenant.entrySet()) {
            List<Entry> entries = group.getValue();
            try {
                tx.executeWithoutResult(status -> appendChain(group.getKey(), entries));
                metrics.auditWritten(entries.size());
            } catch (RuntimeException e) {
                retry.addAll(entries);
                failedTenants++;
                if (failure == null) failure = e;
            }
        }
        if (failure != null) {
            log.warn(
                    "audit writer: {} record(s) of {} tenant(s) not written yet, kept for the next attempt: {}",
                    retry.size(),
                    failedTenants,
                    failure.toString());
            throw failure;
        }
    }

    private void appendChain(String tenant, List<Entry> entries) {
        jdbc.sql("INSERT INTO governance.audit_heads (tenant, last_seq, last_hash) VALUES (?, 0, ?) "
                        + "ON CONFLICT (tenant) DO NOTHING")
                .params(tenant, GENESIS)
                .update();
        record Head(long seq, byte[] hash) {}
        Head head = jdbc.sql("SELECT last_seq, last_hash FROM governance.audit_heads WHERE tenant = ? FOR UPDATE")
                .param(tenant)
                .query((rs, i) -> new Head(rs.getLong(1), rs.getBytes(2)))
                .single();
        long seq = head.seq();
        byte[] prev = head.hash();
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            seq++;
            Instant at = e.at().truncatedTo(ChronoUnit.MICROS);
            byte[] hash = hash(
                    prev, tenant, seq, at, e.actor(), e.category(), e.action(), e.subject(), e.outcome(), e.details());
            rows.add(new Object[] {
                tenant,
                seq,
                Timestamp.from(at),
                e.actor(),
                e.category(),
                e.action(),
                e.subject(),
                e.outcome(),
                e.details(),
                prev,
                hash
            });
            prev = hash;
        }
        template.batchUpdate(
                "INSERT INTO governance.audit_records (tenant, seq, at, actor, category, action, subject, outcome, details, "
                        + "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows);
        jdbc.sql("UPDATE governance.audit_heads SET last_seq = ?, last_hash = ? WHERE tenant = ?")
                .params(seq, prev, tenant)
                .update();
    }

    /** Records of {@code tenant}, newest first, after the cursor {@code beforeSeq}, filtered. */
    List<Stored> list(
            String tenant,
            String category,
            String action,
            String actor,
            Instant from,
            Instant to,
            Long beforeSeq,
            int limit) {
        StringBuilder sql = new StringBuilder(
                "SELECT tenant, seq, at, actor, category, action, subject, outcome, details, prev_hash, hash "
                        + "FROM governance.audit_records WHERE tenant = ?");
        List<Object> params = new ArrayList<>(List.of(tenant));
        if (category != null) {
            sql.append(" AND category = ?");
            params.add(category);
        }
        if (action != null) {
            sql.append(" AND action = ?");
            params.add(action);
        }
        if (actor != null) {
            sql.append(" AND actor = ?");
            params.add(actor);
        }
        if (from != null) {
            sql.append(" AND at >= ?");
            params.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND at < ?");
            params.add(Timestamp.from(to));
        }
        if (beforeSeq != null) {
            sql.append(" AND seq < ?");
            params.add(beforeSeq);
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        params.add(limit);
        HexFormat hex = HexFormat.of();
        return jdbc.sql(sql.toString())
                .params(params)
                .query((rs, i) -> new Stored(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getTimestamp(3).toInstant(),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        hex.formatHex(rs.getBytes(10)),
                        hex.formatHex(rs.getBytes(11))))
                .list();
    }

    /**
     * Walks the chain of {@code tenant} from its first record: every record must follow its predecessor (seq + 1),
     * carry its predecessor's hash, and hash to what it stores; the head must point at the last one. Reports the first
     * record where that fails.
     */
    Verification verify(String tenant) {
        byte[] prev = GENESIS;
        long expectedSeq = 1;
        long checked = 0;
        long after = 0;
        while (true) {
            List<Object[]> page = jdbc.sql(
                            "SELECT seq, at, actor, category, action, subject, outcome, details, prev_hash, hash "
                                    + "FROM governance.audit_records WHERE tenant = ? AND seq > ? ORDER BY seq LIMIT 2000")
                    .params(tenant, after)
                    .query((rs, i) -> new Object[] {
                        rs.getLong(1),
                        rs.getTimestamp(2).toInstant(),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getBytes(9),
                        rs.getBytes(10)
                    })
                    .list();
            if (page.isEmpty()) break;
            for (Object[] r : page) {
                long seq = (Long) r[0];
                if (seq != expectedSeq) {
                    return new Verification(
                            tenant,
                            checked,
                            new Broken(expectedSeq, "record " + expectedSeq + " is missing (next is " + seq + ")"));
                }
                if (!Arrays.equals((byte[]) r[8], prev)) {
                    return new Verification(
                            tenant, checked, new Broken(seq, "its prev_hash is not the hash of record " + (seq - 1)));
                }
                byte[] computed = hash(
                        prev,
                        tenant,
                        seq,
                        (Instant) r[1],
                        (String) r[2],
                        (String) r[3],
                        (String) r[4],
                        (String) r[5],
                        (String) r[6],
                        (String) r[7]);
                if (!Arrays.equals(computed, (byte[]) r[9])) {
                    return new Verification(
                            tenant, checked, new Broken(seq, "its content does not match its hash (altered)"));
                }
                prev = computed;
                expectedSeq++;
                checked++;
                after = seq;
            }
        }
        final byte[] last = prev;
        final long lastSeq = expectedSeq - 1;
        var head = jdbc.sql("SELECT last_seq, last_hash FROM governance.audit_heads WHERE tenant = ?")
                .param(tenant)
                .query((rs, i) -> new Object[] {rs.getLong(1), rs.getBytes(2)})
                .optional();
        if (head.isPresent() && ((Long) head.get()[0] != lastSeq || !Arrays.equals((byte[]) head.get()[1], last))) {
            return new Verification(
                    tenant,
                    checked,
                    new Broken(
                            lastSeq + 1,
                            "the chain ends at record " + lastSeq + " but its head says " + head.get()[0]
                                    + " (records removed from the end)"));
        }
        return new Verification(tenant, checked, null);
    }

    static byte[] hash(
            byte[] prev,
            String tenant,
            long seq,
            Instant at,
            String actor,
            String category,
            String action,
            String subject,
            String outcome,
            String details) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prev);
            for (String field : new String[] {
                tenant, Long.toString(seq), at.toString(), actor, category, action, subject, outcome, details
            }) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                sha.update(bytes);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closing = true;
        writer.interrupt();
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("audit: could not write the last {} record(s) at shutdown: {}", queue.size(), e.toString());
        }
    }
}
