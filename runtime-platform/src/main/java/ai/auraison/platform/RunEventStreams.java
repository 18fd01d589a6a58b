package ai.auraison.platform;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.RunState;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A run's events as Server-Sent Events, the same on central and at the edge: each event has {@code id} = its seq and
 * {@code event} = its kind; the stream resumes after {@code Last-Event-ID} (or {@code afterSeq}) without gaps or
 * duplicates, sends a keep-alive comment after 15 s of silence, and closes after the run's terminal event.
 */
public final class RunEventStreams {

    /** Where a stream reads a run's events from. */
    public interface Source {
        /** A version of the run log that {@link #await} waits to see change. */
        long version();

        /** The run's events after {@code seq}, in order, at most {@code max}. */
        List<AgentEvent> after(long seq, int max);

        /** The run's state now. */
        RunState state();

        /** Waits until the version differs from {@code seen}; false on timeout. */
        boolean await(long seen, Duration timeout) throws InterruptedException;
    }

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private RunEventStreams() {}

    /** The seq a stream starts after: {@code Last-Event-ID} when given, else {@code afterSeq}, else 0 (400 if bad). */
    public static long startAfter(String lastEventId, Long afterSeq) {
        try {
            return lastEventId != null ? Long.parseLong(lastEventId.trim()) : afterSeq == null ? 0 : afterSeq;
        } catch (NumberFormatException e) {
            throw ProblemException.badParameter(
                    "Last-Event-ID", "Last-Event-ID must be the seq of an event: " + lastEventId);
        }
    }

    /** Opens the stream of {@code source} after {@code start}, pumped on {@code executor}. */
    public static SseEmitter open(Source source, long start, Executor executor) {
        SseEmitter emitter = new SseEmitter(Duration.ofHours(1).toMillis());
        executor.execute(() -> pump(source, start, emitter));
        return emitter;
    }

    private static void pump(Source source, long start, SseEmitter emitter) {
        long after = start;
        try {
            while (true) {
                long seen = source.version();
                List<AgentEvent> page = source.after(after, 500);
                for (AgentEvent e : page) {
                    emitter.send(SseEmitter.event()
                            .id(Long.toString(e.seq()))
                            .name(e.kind())
                            .data(ContractJson.write(e)));
                    after = e.seq();
                    if (e.isTerminal()) {
                        emitter.complete();
                        return;
                    }
                }
                if (page.isEmpty()) {
                    RunState state = source.state();
                    if (state.status().isTerminal() && state.lastSeq() <= after) {
                        emitter.complete();
                        return;
                    }
                    if (!source.await(seen, KEEP_ALIVE))
                        emitter.send(SseEmitter.event().comment("keep-alive"));
                }
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        } catch (RuntimeException e) {
            emitter.completeWithError(e);
        }
    }
}
