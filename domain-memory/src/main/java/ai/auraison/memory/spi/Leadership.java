package ai.auraison.memory.spi;

/**
 * Decides which process may write a projection store: at most one holds it at a time, and when the holder dies the
 * leadership becomes free for another (the central runtime uses a PostgreSQL advisory lock).
 *
 * <p>Threading: called from the projector's thread only.
 */
public interface Leadership extends AutoCloseable {

    /** Takes the leadership if it is free or already ours; returns whether we hold it now. Never blocks for long. */
    boolean tryAcquire();

    /** Gives the leadership up if we hold it. */
    @Override
    void close();

    /** Always the leader: for a store that only one process can reach (an edge's own file). */
    static Leadership sole() {
        return new Leadership() {
            @Override
            public boolean tryAcquire() {
                return true;
            }

            @Override
            public void close() {}
        };
    }
}
