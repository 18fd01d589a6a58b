package ai.auraison.execution.gateway.spi;

import ai.auraison.execution.gateway.ModelCallRecord;

/**
 * Receives the accounting record of every model call: the seam through which calls reach the run event log (as
 * {@code AgentEvent.ModelCallCompleted}, see {@link ModelCallRecord#toEvent}), billing or reconciliation. Every
 * {@code ModelCallSink} bean receives every record.
 *
 * <p>Threading: called once per call on the request thread, after the last byte went to the caller; implementations
 * are thread-safe and quick (hand off to a queue for I/O). An exception is logged and does not affect the call.
 * Idempotency: {@link ModelCallRecord#callId()} is unique per call and the de-duplication key.
 */
@FunctionalInterface
public interface ModelCallSink {

    void accept(ModelCallRecord record);
}
