package ai.auraison.memory.spi;

/**
 * A place in the event log: the log is read in {@code (txId, position)} order, and a checkpoint is the last entry a
 * projection has applied. Ordering by the writing transaction first (not by position alone) is what makes the order
 * gap-free: positions are handed out when rows are inserted, but rows become visible when their transaction commits,
 * so a smaller position can appear after a larger one has been read.
 *
 * @param txId the id of the transaction that wrote the entry ({@code 0} before the first entry)
 * @param position the entry's position in the log ({@code 0} before the first entry)
 */
public record Checkpoint(long txId, long position) implements Comparable<Checkpoint> {

    /** Before the first entry of the log. */
    public static final Checkpoint START = new Checkpoint(0, 0);

    public Checkpoint {
        if (txId < 0 || position < 0)
            throw new IllegalArgumentException("negative checkpoint " + txId + "/" + position);
    }

    @Override
    public int compareTo(Checkpoint other) {
        int c = Long.compare(txId, other.txId);
        return c != 0 ? c : Long.compare(position, other.position);
    }

    @Override
    public String toString() {
        return txId + "/" + position;
    }
}
