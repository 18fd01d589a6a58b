package ai.auraison.execution.gateway;

import static org.awaitility.Awaitility.await;

import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.execution.gateway.spi.ModelCallSink;
import ai.auraison.testfixtures.models.ScriptedModelServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real gateway for tests: the auto-configuration in a minimal Boot web app on a random loopback port, with
 * virtual threads as in the apps, in front of a {@link ScriptedModelServer}. Records every {@link ModelCallRecord},
 * every model-call policy decision and every gateway observation. {@link #shared()} is one instance per test JVM.
 */
final class TestGateway implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static TestGateway shared;

    final ScriptedModelServer upstream;
    final ConfigurableApplicationContext app;
    final boolean ownsUpstream;

    private TestGateway(ScriptedModelServer upstream, ConfigurableApplicationContext app, boolean ownsUpstream) {
        this.upstream = upstream;
        this.app = app;
        this.ownsUpstream = ownsUpstream;
    }

    /** The gateway most tests share: {@link #sharedProperties} in front of its own scripted upstream. */
    static synchronized TestGateway shared() {
        if (shared == null) {
            ScriptedModelServer upstream = ScriptedModelServer.start();
            shared = start(upstream, sharedProperties(upstream), true);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    static Map<String, Object> sharedProperties(ScriptedModelServer upstream) {
        String base = upstream.baseUrl().toString();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("auraison.gateway.providers.oa.kind", "OPENAI");
        p.put("auraison.gateway.providers.oa.base-url", base + "/v1");
        p.put("auraison.gateway.providers.oa.api-key", "sk-upstream-openai");
        p.put("auraison.gateway.providers.an.kind", "ANTHROPIC");
        p.put("auraison.gateway.providers.an.base-url", base);
        p.put("auraison.gateway.providers.an.api-key", "sk-upstream-anthropic");
        p.put("auraison.gateway.providers.cf.kind", "CLOUDFLARE");
        p.put("auraison.gateway.providers.cf.base-url", base + "/v1/acct/gw");
        p.put("auraison.gateway.providers.cf.cloudflare-route", "COMPAT");
        p.put("auraison.gateway.providers.cf.gateway-token", "cf-gateway-token");
        p.put("auraison.gateway.providers.cf.api-key", "sk-upstream-via-cf");
        deployment(p, "gpt", "oa", "gpt-4o-mini", "0.15", "0.6", "0.6");
        deployment(p, "claude", "an", "claude-sonnet-4-6", "3", "15", "0.9");
        deployment(p, "cf-llama", "cf", "workers-ai/@cf/meta/llama-3.1-8b-instruct", "0.05", "0.1", "0.4");
        deployment(p, "flaky", "oa", "flaky-model", "1", "1", "0.5");
        deployment(p, "backup", "oa", "backup-model", "1", "1", "0.5");
        deployment(p, "brittle", "oa", "brittle-model", "1", "1", "0.5");
        deployment(p, "spare", "an", "spare-model", "1", "1", "0.5");
        deployment(p, "slow", "oa", "slow-model", "1", "1", "0.5");
        deployment(p, "limited", "oa", "limited-model", "1", "1", "0.5");
        deployment(p, "claude-flaky", "an", "claude-flaky", "1", "1", "0.5");
        deployment(p, "patient", "oa", "patient-model", "1", "1", "0.5");
        deployment(p, "sluggish", "oa", "sluggish-model", "1", "1", "0.5");
        deployment(p, "streamer", "oa", "stream-model", "1", "1", "0.5");
        deployment(p, "streamer-an", "an", "stream-model-an", "1", "1", "0.5");
        p.put("auraison.gateway.routes.chat", "gpt");
        p.put("auraison.gateway.routes.resilient", "flaky,backup");
        p.put("auraison.gateway.routes.timeouts", "sluggish,backup");
        p.put("auraison.gateway.routes.fragile", "brittle,spare");
        p.put("auraison.gateway.routes.budget-capped", "gpt");
        p.put("auraison.gateway.routes.cross", "claude-flaky,gpt");
        p.put("auraison.gateway.auto.candidates", "gpt,claude,cf-llama");
        p.put("auraison.gateway.tracing", "ALWAYS");
        p.put("auraison.gateway.resilience.request-timeout", "1s");
        p.put("auraison.gateway.resilience.stream-idle-timeout", "1s");
        p.put("auraison.gateway.resilience.max-attempts", "2");
        p.put("auraison.gateway.resilience.retry-delay", "10ms");
        p.put("auraison.gateway.resilience.max-retry-delay", "1500ms");
        p.put("auraison.gateway.resilience.circuit-breaker.minimum-number-of-calls", "4");
        p.put("auraison.gateway.resilience.circuit-breaker.sliding-window-size", "4");
        p.put("auraison.gateway.resilience.circuit-breaker.wait-in-open-state", "10m");
        p.put("auraison.gateway.keys.acme-1.secret", "sk-acme");
        p.put("auraison.gateway.keys.acme-1.tenant", "acme");
        p.put("auraison.gateway.keys.tiny-1.secret", "sk-tiny");
        p.put("auraison.gateway.keys.tiny-1.tenant", "tiny");
        p.put("auraison.gateway.keys.tiny-1.limit.requests-per-minute", "2");
        p.put("auraison.gateway.keys.thrifty-1.secret", "sk-thrifty");
        p.put("auraison.gateway.keys.thrifty-1.tenant", "thrifty");
        p.put("auraison.gateway.rate-limits.tenants.thrifty.tokens-per-minute", "20");
        return p;
    }

    private static void deployment(
            Map<String, Object> p, String name, String provider, String model, String in, String out, String quality) {
        String prefix = "auraison.gateway.deployments." + name + ".";
        p.put(prefix + "provider", provider);
        p.put(prefix + "model", model);
        p.put(prefix + "input-price-per-million", in);
        p.put(prefix + "output-price-per-million", out);
        p.put(prefix + "quality", quality);
    }

    static TestGateway start(ScriptedModelServer upstream, Map<String, Object> properties, boolean ownsUpstream) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("server.address", "127.0.0.1");
        all.put("spring.threads.virtual.enabled", "true");
        all.put("spring.main.banner-mode", "off");
        all.put("spring.jmx.enabled", "false");
        all.put("springdoc.api-docs.enabled", "false");
        try {
            all.put("auraison.data-dir", Files.createTempDirectory("gateway-it").toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        all.putAll(properties);
        ConfigurableApplicationContext app =
                new SpringApplicationBuilder(App.class).properties(all).run();
        return new TestGateway(upstream, app, ownsUpstream);
    }

    int port() {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port());
    }

    RecordingSink sink() {
        return app.getBean(RecordingSink.class);
    }

    RecordingHook hook() {
        return app.getBean(RecordingHook.class);
    }

    List<Observation.Context> observations() {
        return app.getBean(ObservationLog.class).contexts;
    }

    HttpResponse<String> post(String path, String json, String... headers) {
        return send(request(path, json, headers), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<InputStream> postStreaming(String path, String json, String... headers) {
        return send(request(path, json, headers), HttpResponse.BodyHandlers.ofInputStream());
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (headers.length > 0) b.headers(headers);
        return send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) b.headers(headers);
        return b.build();
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(request, handler);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    /** The record of the call whose response carried {@code cf-aig-log-id} = {@code callId}, once it is delivered. */
    ModelCallRecord record(HttpResponse<?> response) {
        UUID id = UUID.fromString(response.headers().firstValue("cf-aig-log-id").orElseThrow());
        return await().atMost(Duration.ofSeconds(10)).until(() -> sink().find(id), r -> r != null);
    }

    @Override
    public void close() {
        app.close();
        if (ownsUpstream) upstream.close();
    }

    /** The minimal app: auto-configuration (the gateway's included) plus recording beans. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        RecordingSink recordingSink() {
            return new RecordingSink();
        }

        @Bean
        RecordingHook recordingHook() {
            return new RecordingHook();
        }

        @Bean
        ObservationLog observationLog() {
            return new ObservationLog();
        }

        @Bean
        ObservationRegistry observationRegistry(ObservationLog log) {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(log);
            return registry;
        }
    }

    /** Collects every call record. */
    static final class RecordingSink implements ModelCallSink {
        final List<ModelCallRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void accept(ModelCallRecord record) {
            records.add(record);
        }

        ModelCallRecord find(UUID callId) {
            for (ModelCallRecord r : records) if (r.callId().equals(callId)) return r;
            return null;
        }
    }

    /** A budget hook: records reserve and settle, and denies the virtual model {@code budget-capped}. */
    static final class RecordingHook implements PolicyHook {
        record Seen(String phase, PolicySubject.ModelCallSubject subject, DecisionContext context) {}

        final List<Seen> seen = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "test-budget";
        }

        @Override
        public PolicyDecision decide(PolicySubject subject, DecisionContext context) {
            if (subject instanceof PolicySubject.ModelCallSubject call) {
                seen.add(new Seen(context.attributes().get("gateway.phase"), call, context));
                if (call.model().equals("budget-capped")
                        && "reserve".equals(context.attributes().get("gateway.phase"))) {
                    return PolicyDecision.deny("test-budget.cap", "the tenant's model budget is spent");
                }
            }
            return PolicyDecision.allow("test-budget.default");
        }

        List<Seen> forCall(UUID callId) {
            List<Seen> out = new ArrayList<>();
            for (Seen s : seen)
                if (callId.toString().equals(s.context().attributes().get("gateway.call-id"))) out.add(s);
            return out;
        }
    }

    /** Keeps the context of every stopped gateway observation. */
    static final class ObservationLog implements ObservationHandler<Observation.Context> {
        final List<Observation.Context> contexts = new CopyOnWriteArrayList<>();

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        @Override
        public void onStop(Observation.Context context) {
            if ("auraison.gateway.model.call".equals(context.getName())) contexts.add(context);
        }
    }
}
