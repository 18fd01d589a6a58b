package ai.auraison.testfixtures.models;

import java.time.Duration;

/**
 * A scripted misbehaviour of {@link ScriptedModelServer}, queued per model with {@link ScriptedModelServer#script}
 * or chosen by a marker word in the last user message (shown with each kind).
 */
public sealed interface Fault {

    /** Answers with HTTP {@code status} and an error body in the API's format ({@code FAIL500}, {@code FAIL400}). */
    record Status(int status) implements Fault {}

    /** Answers 429 with {@code retry-after: <seconds>} ({@code FAIL429}, one second). */
    record RateLimited(int retryAfterSeconds) implements Fault {}

    /** Holds the response headers back for {@code delay} ({@code SLOW_HEADERS}, five seconds). */
    record SlowHeaders(Duration delay) implements Fault {}

    /**
     * Streams the answer in {@code chunks} text deltas {@code gap} apart ({@code SLOW_STREAM}: 20 chunks, 100 ms);
     * without {@code stream: true} the whole answer is sent after {@code chunks × gap}.
     */
    record SlowStream(int chunks, Duration gap) implements Fault {}

    /** Sends the first frames of a stream, then closes the connection without the final frames ({@code BREAK_STREAM}). */
    record BrokenStream() implements Fault {}

    /** Sends the first frames of a stream, then sends nothing for {@code hold} ({@code HANG_STREAM}, 30 seconds). */
    record HangingStream(Duration hold) implements Fault {}

    /** No fault: the normal scripted answer. */
    record None() implements Fault {}

    static Fault status(int status) {
        return new Status(status);
    }
}
