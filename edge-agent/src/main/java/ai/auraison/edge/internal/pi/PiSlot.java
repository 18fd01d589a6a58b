package ai.auraison.edge.internal.pi;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One process of a pool with its identity towards the extension: the per-process token the extension presents on
 * every tool and policy call, and the run the process is executing now (so that a call is attributed to its run).
 */
final class PiSlot {

    private final int index;
    private final PiRpcProcess process;
    private final String token;
    private final AtomicReference<PiRun> run = new AtomicReference<>();

    PiSlot(int index, PiRpcProcess process, String token) {
        this.index = index;
        this.process = process;
        this.token = token;
    }

    int index() {
        return index;
    }

    PiRpcProcess process() {
        return process;
    }

    String token() {
        return token;
    }

    PiRun run() {
        return run.get();
    }

    void bind(PiRun current) {
        run.set(current);
    }

    void unbind() {
        run.set(null);
    }
}
