package ai.auraison.execution;

import java.util.Map;

/**
 * Commands robots: ROS 2 over Zenoh in production (adapters-ros), a simulated robot until then. Real time (ms) and
 * stateful per session; a failure stops the command, never the caller's run loop.
 *
 * <p>Idempotency: keyed by {@link ToolInvocation#runId()} and {@link ToolInvocation#toolCallId()}.
 */
@FunctionalInterface
public interface RobotLink {

    /** Performs {@code invocation.tool()} on the agent's robot and returns the tool's output. */
    Map<String, Object> command(ToolInvocation invocation) throws Exception;
}
