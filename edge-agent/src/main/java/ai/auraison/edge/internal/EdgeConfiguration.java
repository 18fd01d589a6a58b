package ai.auraison.edge.internal;

import ai.auraison.contract.AgentId;
import ai.auraison.contract.Skill;
import ai.auraison.contract.SkillFolders;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.edge.EdgeProperties;
import ai.auraison.edge.internal.link.CentralLink;
import ai.auraison.edge.internal.pi.PiInstallation;
import ai.auraison.edge.internal.pi.PiRpcAgentHarness;
import ai.auraison.edge.internal.policy.EdgePolicy;
import ai.auraison.edge.internal.runs.EdgeRuns;
import ai.auraison.edge.internal.runs.LocalAdmission;
import ai.auraison.edge.internal.store.EdgeStore;
import ai.auraison.execution.ExecutionPort;
import ai.auraison.execution.ToolRouter;
import ai.auraison.execution.sim.SimulatedTurtlebot;
import ai.auraison.platform.DataDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the edge runtime: store, harness, tool routing, runs, local admission and the link to central. */
@Configuration(proxyBeanMethods = false)
public class EdgeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EdgeConfiguration.class);

    /** Where each reference tool runs until real adapters land. */
    static final Map<String, ExecutionPort> REFERENCE_BINDINGS = Map.ofEntries(
            Map.entry("read_ranges", ExecutionPort.ROBOT),
            Map.entry("move", ExecutionPort.ROBOT),
            Map.entry("rotate", ExecutionPort.ROBOT),
            Map.entry("report_position", ExecutionPort.ROBOT),
            Map.entry("observe", ExecutionPort.ROBOT),
            Map.entry("plan_grasp", ExecutionPort.INFERENCE),
            Map.entry("execute_trajectory", ExecutionPort.ROBOT),
            Map.entry("verify_placement", ExecutionPort.ROBOT),
            Map.entry("search_corpus", ExecutionPort.JOB),
            Map.entry("extract_evidence", ExecutionPort.JOB),
            Map.entry("synthesise_answer", ExecutionPort.INFERENCE),
            Map.entry("detect_objects", ExecutionPort.INFERENCE),
            Map.entry("track_objects", ExecutionPort.JOB),
            Map.entry("classify_track", ExecutionPort.INFERENCE),
            Map.entry("recommend_response", ExecutionPort.JOB));

    @Bean(destroyMethod = "close")
    EdgeStore edgeStore(DataDirectory data) throws SQLException {
        return new EdgeStore(data.root().resolve("edge.duckdb"));
    }

    @Bean
    SimulatedTurtlebot simulatedTurtlebot(EdgeProperties properties) {
        String maze = properties.simulation().maze();
        return maze == null || maze.isBlank() ? null : new SimulatedTurtlebot(maze);
    }

    @Bean(destroyMethod = "close")
    ToolRouter toolRouter(
            EdgeProperties properties, ObjectProvider<SimulatedTurtlebot> turtlebot, MeterRegistry metrics) {
        Map<String, ExecutionPort> bindings = new HashMap<>(REFERENCE_BINDINGS);
        properties.tools().forEach((tool, port) -> bindings.put(tool, ExecutionPort.of(port)));
        return new ToolRouter(turtlebot.getIfAvailable(), null, null, bindings, Map.of(), metrics);
    }

    @Bean(destroyMethod = "close")
    PiRpcAgentHarness piRpcAgentHarness(
            EdgeProperties properties,
            DataDirectory data,
            ToolRouter tools,
            ObjectProvider<PolicyHook> policies,
            MeterRegistry metrics) {
        Map<String, Skill> skills = new LinkedHashMap<>();
        SkillFolders.builtin().forEach(s -> skills.put(s.name(), s));
        if (properties.pi().skillsDir() != null)
            SkillFolders.readAll(properties.pi().skillsDir()).forEach(s -> skills.put(s.name(), s));
        List<PiRpcAgentHarness.Agent> agents = new ArrayList<>();
        if (properties.agents().isEmpty()) {
            for (String app : skills.values().stream()
                    .map(Skill::application)
                    .distinct()
                    .sorted()
                    .toList()) {
                agents.add(new PiRpcAgentHarness.Agent(
                        AgentId.of(app + "." + properties.nodeName()),
                        app,
                        skills.values().stream()
                                .filter(s -> s.application().equals(app))
                                .toList(),
                        properties.poolSize()));
            }
        } else {
            for (EdgeProperties.Agent a : properties.agents()) {
                List<Skill> own = a.skills().isEmpty()
                        ? skills.values().stream()
                                .filter(s -> s.application().equals(a.application()))
                                .toList()
                        : a.skills().stream()
                                .map(name -> {
                                    Skill s = skills.get(name);
                                    if (s == null)
                                        throw new IllegalArgumentException(
                                                "agent " + a.id() + " names an unknown skill " + name);
                                    return s;
                                })
                                .toList();
                agents.add(new PiRpcAgentHarness.Agent(
                        AgentId.of(a.id()),
                        a.application(),
                        own,
                        a.poolSize() > 0 ? a.poolSize() : properties.poolSize()));
            }
        }
        var pi = properties.pi();
        return new PiRpcAgentHarness(
                data.resolve("pi"),
                new PiRpcAgentHarness.Settings(
                        pi.rpcTimeout(), pi.acquireTimeout(), pi.runTimeout(), pi.stallTimeout(), pi.startTimeout()),
                agents,
                tools,
                () -> policies.orderedStream().toList(),
                metrics);
    }

    @Bean
    EdgeRuns edgeRuns(EdgeStore store, PiRpcAgentHarness harness, ObjectProvider<SimulatedTurtlebot> turtlebot) {
        EdgeRuns runs = new EdgeRuns(store, harness);
        SimulatedTurtlebot sim = turtlebot.getIfAvailable();
        if (sim != null) {
            // each run drives its own simulated robot in the maze its intent names; it is dropped when the run ends
            runs.onStart((run, intent) -> {
                if (intent.params().get("maze") instanceof String maze) sim.place(run, maze);
            });
            runs.onEvent(e -> {
                if (e.isTerminal()) sim.forget(e.runId());
            });
        }
        return runs;
    }

    @Bean
    LocalAdmission localAdmission(
            EdgeStore store, EdgeRuns runs, PiRpcAgentHarness harness, ObjectProvider<PolicyHook> policies) {
        return new LocalAdmission(
                store, runs, harness, () -> policies.orderedStream().toList(), Clock.systemUTC());
    }

    /**
     * The edge's policy from central's signed bundles: only on an edge linked to a governed central (a URL and a key).
     * A policy hook, so local admission and every tool call consult it.
     */
    @Bean
    EdgePolicy edgePolicy(EdgeProperties properties, DataDirectory data, MeterRegistry metrics) {
        var p = properties.policy();
        boolean governed = properties.centralUrl() != null
                && properties.centralKey() != null
                && !properties.centralKey().isBlank();
        if (!p.enabled() || !governed) return null;
        return new EdgePolicy(
                data.resolve("policy"), p.bundleKey(), p.tenant(), p.maxAge(), Clock.systemUTC(), metrics);
    }

    @Bean(destroyMethod = "close")
    CentralLink centralLink(
            EdgeProperties properties,
            PiRpcAgentHarness harness,
            EdgeRuns runs,
            EdgeStore store,
            ObjectProvider<EdgePolicy> policy) {
        return properties.centralUrl() == null
                ? null
                : new CentralLink(properties.centralUrl(), properties, harness, runs, store, policy.getIfAvailable());
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService edgeEventStreams() {
        return Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("edge-stream-", 0).factory());
    }

    /** Starts the Pi pools and the central link once the web server listens (the extension calls back to it). */
    @Bean
    ApplicationListener<WebServerInitializedEvent> edgeStarter(
            EdgeProperties properties,
            PiRpcAgentHarness harness,
            DataDirectory data,
            ObjectProvider<CentralLink> link) {
        return event -> {
            if (event.getApplicationContext().getParent() != null) return;
            int port = event.getWebServer().getPort();
            String edgeUrl = "http://127.0.0.1:" + port;
            var home = PiInstallation.locate(properties.pi().home());
            String modelUrl = properties.model().baseUrl() != null
                    ? properties.model().baseUrl().toString()
                    : properties.demoModel().enabled() ? edgeUrl + "/demo-model/v1" : null;
            String modelName = properties.model().baseUrl() == null
                            && properties.demoModel().enabled()
                    ? ai.auraison.edge.internal.demo.DemoModelController.MODEL
                    : properties.model().name();
            harness.modelConfigured(modelUrl != null);
            if (home.isEmpty()) {
                log.error("Pi is not installed: build edge-agent (./mvnw -pl edge-agent package installs it into "
                        + "edge-agent/node_modules) or set auraison.edge.pi.home; agents will not run");
            } else if (modelUrl == null) {
                log.error("no model is configured: set auraison.edge.model.base-url (an OpenAI-compatible /v1 URL) or "
                        + "auraison.edge.demo-model.enabled=true for the offline demo model; agents will not run");
            } else {
                harness.start(new PiRpcAgentHarness.Installation(
                        PiInstallation.node(home.get()),
                        PiInstallation.cli(home.get()),
                        PiInstallation.writeExtension(data.resolve("pi").resolve("extension")),
                        edgeUrl,
                        modelUrl,
                        modelName,
                        properties.model().apiKey()));
            }
            CentralLink l = link.getIfAvailable();
            if (l != null) l.start();
        };
    }
}
