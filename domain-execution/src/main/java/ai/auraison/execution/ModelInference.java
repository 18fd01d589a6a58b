package ai.auraison.execution;

import java.util.Map;

/**
 * Runs a model as a tool: VLA policies behind the {@code ai/inference/vla} Zenoh queryable, detectors, vLLM
 * (adapters-vllm). Distinct from the model gateway, which serves the agents' own reasoning calls.
 *
 * <p>Idempotency: keyed by {@link ToolInvocation#runId()} and {@link ToolInvocation#toolCallId()}.
 */
@FunctionalInterface
public interface ModelInference {

    /** Runs the inference behind {@code invocation.tool()} and returns its output. */
    Map<String, Object> infer(ToolInvocation invocation) throws Exception;
}
