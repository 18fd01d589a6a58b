package ai.auraison.contract.spi;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.Intent;
import ai.auraison.contract.RunId;
import ai.auraison.contract.Skill;
import ai.auraison.contract.TreeRef;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Runs agents: the port both runtimes drive their agent loop through. The edge implements it over Pi in RPC mode,
 * the central runtime over a Claude Managed Agent. A run starts from an intent and a skill set (or is forked from an
 * entry of an earlier run's tree), streams its {@link AgentEvent}s in {@code seq} order to a sink, can be steered,
 * followed up and aborted, and ends with exactly one terminal event.
 *
 * <p>Threading: {@link #start} may be called from any thread; the sink is called from the harness's own threads,
 * one event at a time, and must not block for long. Idempotency: {@link StartRun#runId()} is the key; starting a
 * run id that is already running returns the existing run.
 */
public interface AgentHarness extends AutoCloseable {

    /** The harness name recorded in {@code RunStarted.harness}: {@code pi}, {@code cma}, … */
    String name();

    /** Starts a run; events go to {@code sink}, beginning with {@code RunStarted} at {@link StartRun#firstSeq()}. */
    HarnessRun start(StartRun command, EventSink sink);

    /** Aborts every run and releases the harness's processes and connections. */
    @Override
    void close();

    /**
     * What to run: {@code prompt} is the text handed to the agent (derived from the intent when null); {@code
     * forkFrom}, when set, starts from that entry of an earlier run's tree instead of an empty session.
     */
    record StartRun(
            RunId runId,
            Intent intent,
            AgentId agentId,
            List<Skill> skills,
            int attempt,
            long firstSeq,
            String prompt,
            TreeRef forkFrom) {

        public StartRun {
            skills = List.copyOf(skills);
            if (firstSeq < 1) throw new IllegalArgumentException("firstSeq starts at 1");
            if (attempt < 1) throw new IllegalArgumentException("attempt starts at 1");
        }
    }

    /** Receives a run's events in order. */
    @FunctionalInterface
    interface EventSink {
        void accept(AgentEvent event);
    }

    /** A run in progress. */
    interface HarnessRun {

        RunId runId();

        /** Where the run is in the harness session tree; its session id is known once the run started. */
        TreeRef treeRef();

        /** Delivers {@code message} after the current turn's tool calls, before the next model call. */
        void steer(String message);

        /** Delivers {@code message} when the agent would otherwise stop, inside the same run. */
        void followUp(String message);

        /** Stops the run; completes once it wound down and its terminal {@code RunCancelled} was emitted. */
        CompletionStage<AgentEvent> abort(String reason);

        /** Completes with the run's terminal event. */
        CompletionStage<AgentEvent> finished();
    }
}
