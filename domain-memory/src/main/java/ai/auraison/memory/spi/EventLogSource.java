package ai.auraison.memory.spi;

import java.util.List;

/**
 * The event log the projector tails: the central runtime's PostgreSQL log of record, or an edge's local outbox.
 *
 * <p>Contract: entries come in ascending {@link Checkpoint} order, and an entry is returned only once no entry before
 * it can still appear (for PostgreSQL: every transaction that could write an earlier entry has ended). A reader that
 * resumes after the last checkpoint it applied therefore never skips nor repeats an entry. Reading has no side
 * effects; it is idempotent for a given {@code after}.
 */
public interface EventLogSource {

    /** Up to {@code max} entries after {@code after}, in log order; empty when there is nothing new yet. */
    List<LoggedEvent> readAfter(Checkpoint after, int max);
}
