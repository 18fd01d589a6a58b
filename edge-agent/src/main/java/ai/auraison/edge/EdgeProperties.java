package ai.auraison.edge;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the edge runtime, under {@code auraison.edge}.
 *
 * @param nodeName this edge node's name; default agent ids are {@code <application>.<node-name>}
 * @param agents the agents this edge runs; empty means one per reference application with all its built-in skills
 * @param poolSize warm Pi processes per agent (for agents that name none)
 * @param centralUrl the central runtime's base URL; absent means this edge works alone
 * @param centralKey the edge's API key towards the central runtime (a secret: no default)
 * @param pi where Pi is installed and how runs are timed
 * @param model the OpenAI-compatible model endpoint Pi's model calls go to
 * @param demoModel the labelled offline demo model served by this app
 * @param simulation the simulated robots standing in for ROS until the ROS adapter lands
 * @param link the link to the central runtime: heartbeats, work polls, event shipping
 * @param tools tool name → execution port ({@code robot}, {@code inference}, {@code job}), added to the built-in bindings
 * @param policy decisions from central's signed policy bundles (on an edge with a central URL and key)
 */
@Validated
@ConfigurationProperties("auraison.edge")
public record EdgeProperties(
        @DefaultValue("edge-1") @Pattern(regexp = "^[a-z0-9][a-z0-9._-]{0,62}$")
        String nodeName,

        @DefaultValue List<@Valid Agent> agents,
        @DefaultValue("1") @Min(1) @Max(32) int poolSize,
        URI centralUrl,
        String centralKey,
        @DefaultValue @Valid Pi pi,
        @DefaultValue @Valid Model model,
        @DefaultValue DemoModel demoModel,
        @DefaultValue Simulation simulation,
        @DefaultValue @Valid Link link,
        @DefaultValue Map<String, String> tools,
        @DefaultValue @Valid Policy policy) {

    /**
     * @param id the agent id
     * @param application its application
     * @param skills its skills (built-in or from the skills folder); empty means all skills of the application
     * @param poolSize its warm Pi processes; 0 means {@code auraison.edge.pool-size}
     */
    public record Agent(
            @NotBlank String id,
            @NotBlank String application,
            @DefaultValue List<String> skills,
            @DefaultValue("0") @Min(0) @Max(32) int poolSize) {}

    /**
     * @param home the folder holding Pi's {@code node_modules} (found from the working directory when absent)
     * @param rpcTimeout the longest wait for an answer to one RPC command
     * @param startTimeout the longest wait for a new process's handshake
     * @param acquireTimeout how long a run waits for a free process of its agent
     * @param runTimeout the longest a run may take before it is aborted
     * @param stallTimeout silence from Pi after which the process is pinged, and killed if it does not answer
     * @param skillsDir a folder of operator skills (one folder per skill), besides the built-in ones
     */
    public record Pi(
            Path home,
            @DefaultValue("30s") Duration rpcTimeout,
            @DefaultValue("60s") Duration startTimeout,
            @DefaultValue("10m") Duration acquireTimeout,
            @DefaultValue("15m") Duration runTimeout,
            @DefaultValue("120s") Duration stallTimeout,
            Path skillsDir) {}

    /**
     * @param baseUrl the OpenAI-compatible base URL (ending in {@code /v1}); absent: none configured (or the demo model)
     * @param name the model id sent to it
     * @param apiKey the key sent to it (a secret: no default)
     */
    public record Model(
            URI baseUrl, @DefaultValue("default") String name, String apiKey) {}

    /** @param enabled serve the deterministic offline demo model and point Pi at it when no model is configured */
    public record DemoModel(@DefaultValue("false") boolean enabled) {}

    /** @param maze the simulated turtlebot's maze; blank turns the simulation off */
    public record Simulation(@DefaultValue("classic-8x8") String maze) {}

    /**
     * @param enabled decide intents and tool calls from central's signed policy bundles when the edge has a central URL
     *     and key (without a key central is ungoverned and serves no bundles; this edge then decides nothing itself)
     * @param pullInterval how often the bundle is pulled from central
     * @param bundleKey central's bundle key (base64 X.509 Ed25519, from {@code GET /api/v1/policy/bundle-key});
     *     absent: the key central serves at first contact is pinned (trust on first use)
     * @param tenant this edge's tenant; absent: the tenant of the first verified bundle is pinned
     * @param maxAge the edge's own limit on a bundle's age when stricter than the bundle's; absent: the bundle's
     */
    public record Policy(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("30s") Duration pullInterval,
            String bundleKey,
            String tenant,
            Duration maxAge) {}

    /**
     * @param heartbeatInterval how often agents heartbeat to central
     * @param pollWait how long one work poll waits at central
     * @param shipInterval how often the outbox is shipped when nothing wakes the shipper
     * @param shipBatch events per {@code events:batch} request
     * @param maxBackoff the longest pause between attempts while central is unreachable
     * @param requestTimeout the timeout of one request to central
     */
    public record Link(
            @DefaultValue("10s") Duration heartbeatInterval,
            @DefaultValue("20s") Duration pollWait,
            @DefaultValue("500ms") Duration shipInterval,
            @DefaultValue("500") @Min(1) @Max(1000) int shipBatch,
            @DefaultValue("10s") Duration maxBackoff,
            @DefaultValue("30s") Duration requestTimeout) {}
}
