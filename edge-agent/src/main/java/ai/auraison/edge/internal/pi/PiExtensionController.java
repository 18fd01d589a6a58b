package ai.auraison.edge.internal.pi;

import ai.auraison.contract.ToolResult;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The loopback endpoints the Auraison Pi extension calls: tool calls and tool-call policy decisions. Only processes of
 * this edge's Pi pools can call them: the request must come from loopback and carry the calling process's token.
 */
@RestController
@RequestMapping("/internal/pi")
@Tag(name = "pi-extension", description = "Internal: called by the Pi extension of this edge's own processes only")
public class PiExtensionController {

    record ToolRequest(
            @NotBlank String toolCallId, @NotBlank String tool, Map<String, Object> input) {}

    private final PiRpcAgentHarness harness;

    public PiExtensionController(PiRpcAgentHarness harness) {
        this.harness = harness;
    }

    @PostMapping("/tools")
    @Operation(summary = "Run a tool call for the calling Pi process's run (internal)")
    ToolResult tool(
            @RequestHeader(name = "Authorization", required = false) String authorization,
            HttpServletRequest http,
            @Valid @RequestBody ToolRequest request) {
        String token = authenticate(authorization, http);
        // the contract's own JSON: {"outcome": "output", "value"} or {"outcome": "error", "failure"}
        return harness.tool(token, request.toolCallId(), request.tool(), input(request));
    }

    @PostMapping("/policy")
    @Operation(summary = "Decide on a tool call the calling Pi process is about to make (internal)")
    Map<String, Object> policy(
            @RequestHeader(name = "Authorization", required = false) String authorization,
            HttpServletRequest http,
            @Valid @RequestBody ToolRequest request) {
        String token = authenticate(authorization, http);
        PolicyDecision d = harness.policy(token, request.toolCallId(), request.tool(), input(request));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("effect", d.effect()); // allow | deny | require_approval, as the contract writes it
        out.put("rule", d.rule());
        if (!d.reason().isEmpty()) out.put("reason", d.reason());
        return out;
    }

    private static Map<String, Object> input(ToolRequest request) {
        return request.input() == null ? Map.of() : request.input();
    }

    private String authenticate(String authorization, HttpServletRequest http) {
        if (!loopback(http.getRemoteAddr())) {
            throw new ProblemException(
                    HttpStatus.FORBIDDEN, "not-loopback", "Forbidden", "only local Pi processes may call this");
        }
        String token = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring(7).trim()
                : null;
        if (!harness.knowsToken(token)) {
            throw new ProblemException(
                    HttpStatus.UNAUTHORIZED,
                    "unknown-process",
                    "Unauthorized",
                    "the request carries no token of a Pi process of this edge");
        }
        return token;
    }

    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
