package ai.auraison.memory;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.ContractJson;
import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.memory.spi.EventLogSource;
import ai.auraison.memory.spi.LoggedEvent;
import java.util.ArrayList;
import java.util.List;

/** An event log in memory: each {@link #append} is one transaction. Thread-safe. */
final class ListEventLog implements EventLogSource {

    private final List<LoggedEvent> entries = new ArrayList<>();
    private long tx = 100;
    private long position;

    /** Appends {@code events} of a run of {@code tenant} as one transaction. */
    synchronized void append(String tenant, List<AgentEvent> events) {
        tx++;
        for (AgentEvent e : events) {
            entries.add(new LoggedEvent(
                    new Checkpoint(tx, ++position),
                    tenant,
                    e.eventId().value(),
                    e.runId().value(),
                    e.seq(),
                    e.kind(),
                    e.ts(),
                    ContractJson.write(e)));
        }
    }

    synchronized int size() {
        return entries.size();
    }

    @Override
    public synchronized List<LoggedEvent> readAfter(Checkpoint after, int max) {
        List<LoggedEvent> out = new ArrayList<>();
        for (LoggedEvent e : entries) {
            if (e.at().compareTo(after) > 0) {
                out.add(e);
                if (out.size() == max) break;
            }
        }
        return out;
    }
}
