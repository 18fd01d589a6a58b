/**
 * The Auraison edge extension for Pi: registers the tools of the agent's skills (from the ToolSpecs the edge runtime
 * writes to AURAISON_TOOLS_FILE) and forwards every call to the edge runtime's loopback tool endpoint; asks the edge's
 * policy endpoint before any tool runs and blocks a denied call with the reason. Both calls carry this process's
 * token. A policy endpoint that cannot be reached blocks the call (fail closed).
 */
import type { ExtensionAPI } from "@earendil-works/pi-coding-agent";
import { readFileSync } from "node:fs";

interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

interface ToolAnswer {
  outcome: "output" | "error";
  value?: Record<string, unknown>;
  failure?: { code: string; message: string };
}

interface PolicyAnswer {
  effect: "allow" | "deny" | "require_approval";
  rule: string;
  reason?: string;
}

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`auraison-edge extension: ${name} is not set`);
  return value;
}

const edge = setting("AURAISON_EDGE_URL");
const token = setting("AURAISON_PROCESS_TOKEN");
const toolsFile = setting("AURAISON_TOOLS_FILE");
const timeoutMs = Number(process.env.AURAISON_TOOL_TIMEOUT_MS ?? "60000");

async function post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const response = await fetch(`${edge}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`edge runtime answered ${response.status} on ${path}: ${text}`);
  return JSON.parse(text) as T;
}

export default function (pi: ExtensionAPI): void {
  const tools = JSON.parse(readFileSync(toolsFile, "utf8")) as ToolSpec[];
  for (const tool of tools) {
    pi.registerTool({
      name: tool.name,
      label: tool.name,
      description: tool.description,
      // Pi validates plain JSON Schemas as well as TypeBox ones
      parameters: tool.inputSchema as never,
      async execute(toolCallId, params, signal) {
        const answer = await post<ToolAnswer>("/internal/pi/tools", { toolCallId, tool: tool.name, input: params }, signal);
        if (answer.outcome === "error") {
          throw new Error(`${answer.failure?.code ?? "tool.failed"}: ${answer.failure?.message ?? "the tool failed"}`);
        }
        return { content: [{ type: "text", text: JSON.stringify(answer.value ?? {}) }], details: answer.value ?? {} };
      },
    });
  }

  pi.on("tool_call", async (event) => {
    const decision = await post<PolicyAnswer>("/internal/pi/policy", {
      toolCallId: event.toolCallId,
      tool: event.toolName,
      input: event.input,
    });
    if (decision.effect !== "allow") {
      return { block: true, reason: `policy: ${decision.reason ?? "denied"} (rule ${decision.rule})` };
    }
    return undefined;
  });
}
