package ai.auraison.execution;

import java.util.Map;

/**
 * Runs a job on an existing engine (Ray Jobs, Kubernetes) for a tool and returns its result: retrieval over a corpus,
 * multi-target tracking, dataset exports.
 *
 * <p>Idempotency: keyed by {@link ToolInvocation#runId()} and {@link ToolInvocation#toolCallId()}; a repeated
 * invocation attaches to the job already submitted.
 */
@FunctionalInterface
public interface JobRunner {

    /** Runs the job behind {@code invocation.tool()} to completion and returns its output. */
    Map<String, Object> run(ToolInvocation invocation) throws Exception;
}
