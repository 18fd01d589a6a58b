package ai.auraison.execution;

import ai.auraison.contract.AgentId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.ToolCallId;
import java.util.Map;

/**
 * One tool call as an execution port sees it: which run and agent it serves, the tool, and its validated input.
 * {@code (runId, toolCallId)} is the idempotency key: a port that receives the same pair twice performs the call once.
 */
public record ToolInvocation(
        RunId runId, ToolCallId toolCallId, AgentId agent, String application, String tool, Map<String, Object> input) {

    public ToolInvocation {
        input = input == null ? Map.of() : input;
    }
}
