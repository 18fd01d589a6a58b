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

    /**
     * The projector of {@code store} over {@code source} under {@code leadership} with the app's projector settings,
     * or none when projecting is switched off or there is no source.
     */
    public static ProjectorLifecycle of(
            MemoryStore store,
            ai.auraison.memory.spi.EventLogSource source,
            ai.auraison.memory.spi.Leadership leadership,
            MemoryProperties.ProjectorSettings settings,
            MemoryMetrics metrics,
            java.util.function.Consumer<ai.auraison.contract.ProjectionEvent> sink) {
        if (source == null || !settings.enabled()) return new ProjectorLifecycle(null);
        return new ProjectorLifecycle(new Projector(
                store,
                source,
                leadership,
                new Projector.Options(
                        settings.batchSize(),
                        settings.rebuildBatchSize(),
                        settings.pollInterval(),
                        Projector.Probe.NONE),
                metrics,
                sink));
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
