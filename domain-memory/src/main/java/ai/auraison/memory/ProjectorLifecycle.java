package ai.auraison.memory;

import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/**
 * The app's projector as a bean: started with the app and stopped on shutdown; holds none when the app has no
 * {@link ai.auraison.memory.spi.EventLogSource} or projecting is switched off ({@code auraison.memory.projector.enabled}).
 */
public final class ProjectorLifecycle implements SmartLifecycle {

    private final Projector projector;
    private volatile boolean running;

    public ProjectorLifecycle(Projector projector) {
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
