package ai.auraison.contract.spi;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.Domain;
import ai.auraison.contract.Intent;
import ai.auraison.contract.ProjectionEvent;
import ai.auraison.contract.RunId;
import java.util.List;

/**
 * Connects the runtime contract to one domain: drives intents into it, and ingests what happened back.
 *
 * <p>Idempotency: {@link #drive} is keyed by the intent id (driving the same intent twice drives it once);
 * {@link #ingest} is keyed by event id (an event ingested twice counts once).
 */
public interface ProjectionAdapter {

    /** The domain this adapter serves. */
    Domain domain();

    /** Drives {@code intent} into the domain as run {@code runId}. */
    void drive(Intent intent, RunId runId);

    /**
     * Ingests {@code events} (in log order) into the domain's projection and returns the projection events this
     * produced, possibly none.
     */
    List<ProjectionEvent> ingest(List<AgentEvent> events);
}
