package ai.auraison.zenoh;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A handler that puts each value into an unbounded blocking queue and ends the stream with {@link Optional#empty()}.
 * Safe to read from any thread, including virtual threads.
 */
public final class BlockingQueueHandler<T> implements Handler<T, BlockingQueue<Optional<T>>> {

    private final BlockingQueue<Optional<T>> queue;

    public BlockingQueueHandler() {
        this(new LinkedBlockingQueue<>());
    }

    public BlockingQueueHandler(BlockingQueue<Optional<T>> queue) {
        this.queue = queue;
    }

    @Override
    public void handle(T value) {
        queue.offer(Optional.of(value));
    }

    @Override
    public BlockingQueue<Optional<T>> receiver() {
        return queue;
    }

    @Override
    public void onClose() {
        queue.offer(Optional.empty());
    }
}
