package ai.auraison.memory.internal;

import ai.auraison.memory.Projector;
import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/** Starts the projector with the app and stops it first on shutdown; holds none when the app has no event log. */
public final class ProjectorLifecycle implements SmartLifecycle {

    private final Projector projector;
    private volatile boolean running;

    ProjectorLifecycle(Projector projector) {
        this.projector = projector;
    }

    /** The projector, if this app projects. */
    public Optional<Projector> projector() {
        return Optional.ofNullable(projector);
    }

    @Override
    public void start() {
        if (projector != null) projector.start();
        running = true;
    }

    @Override
    public void stop() {
        if (projector != null) projector.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
