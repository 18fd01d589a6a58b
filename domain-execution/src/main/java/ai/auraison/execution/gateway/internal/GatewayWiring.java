package ai.auraison.execution.gateway.internal;

import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.execution.gateway.GatewayMetrics;
import ai.auraison.execution.gateway.GatewayProperties;
import ai.auraison.execution.gateway.spi.GatewayCallerResolver;
import ai.auraison.execution.gateway.spi.ModelCallSink;
import ai.auraison.execution.gateway.spi.ModelSelectionPolicy;
import ai.auraison.platform.DataDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The gateway's beans. The ports have defaults that step back when the app (or governance) defines its own:
 * {@link GatewayCallerResolver}, {@link ModelSelectionPolicy}; every {@link ModelCallSink} and {@link PolicyHook}
 * bean present is used. The only public type of the internals, so the auto-configuration can import it.
 */
@Configuration(proxyBeanMethods = false)
public class GatewayWiring {

    @Bean
    @ConditionalOnMissingBean(GatewayCallerResolver.class)
    GatewayCallerResolver gatewayCallerResolver(GatewayProperties properties) {
        return new ConfiguredKeyResolver(properties);
    }

    @Bean
    @ConditionalOnMissingBean(ModelSelectionPolicy.class)
    ModelSelectionPolicy modelSelectionPolicy() {
        return new CostLatencyQualityPolicy();
    }

    @Bean
    @ConditionalOnMissingBean(GatewayMetrics.class)
    GatewayMetrics gatewayMetrics(ObjectProvider<MeterRegistry> registry) {
        return new GatewayMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean(destroyMethod = "close")
    UpstreamClient gatewayUpstreamClient() {
        return new UpstreamClient();
    }

    @Bean(destroyMethod = "close")
    StreamWatchdog gatewayStreamWatchdog() {
        return new StreamWatchdog();
    }

    @Bean(destroyMethod = "close")
    ReconciliationLog gatewayReconciliationLog(
            GatewayProperties properties, ObjectProvider<DataDirectory> dataDirectory) {
        GatewayProperties.Edge edge = properties.edge();
        if (edge.centralUrl() == null) return null;
        Path file = edge.reconciliationLog();
        if (file == null) {
            DataDirectory dir = dataDirectory.getIfAvailable();
            file = (dir != null ? dir.resolve("gateway") : Path.of("data", "gateway")).resolve("reconciliation.jsonl");
        }
        return new ReconciliationLog(file);
    }

    @Bean
    GatewayService gatewayService(
            GatewayProperties properties,
            GatewayCallerResolver resolver,
            ModelSelectionPolicy selection,
            GatewayMetrics metrics,
            UpstreamClient client,
            StreamWatchdog watchdog,
            ObjectProvider<ReconciliationLog> reconciliation,
            ObjectProvider<ModelCallSink> sinks,
            ObjectProvider<PolicyHook> hooks,
            ObjectProvider<ObservationRegistry> observations,
            ListableBeanFactory beans) {
        DeploymentHealth health = new DeploymentHealth(properties.resilience().circuitBreaker());
        List<ModelCallSink> allSinks = new ArrayList<>(sinks.orderedStream().toList());
        ReconciliationLog log = reconciliation.getIfAvailable();
        if (log != null && !allSinks.contains(log)) allSinks.add(log);
        return new GatewayService(
                properties,
                new Router(properties, health, selection),
                client,
                watchdog,
                health,
                new ResponseCache(properties.cache().maxEntries()),
                new RateLimits(properties, metrics, System::currentTimeMillis),
                new BudgetGate(hooks.orderedStream().toList()),
                resolver,
                allSinks,
                metrics,
                observed(properties, beans)
                        ? observations.getIfAvailable(() -> ObservationRegistry.NOOP)
                        : ObservationRegistry.NOOP);
    }

    /** Whether calls become observations: always, never, or when a Micrometer tracer is there to make spans. */
    static boolean observed(GatewayProperties properties, ListableBeanFactory beans) {
        return switch (properties.tracing()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> {
                ClassLoader loader = GatewayWiring.class.getClassLoader();
                if (!ClassUtils.isPresent("io.micrometer.tracing.Tracer", loader)) yield false;
                yield beans.getBeanNamesForType(ClassUtils.resolveClassName("io.micrometer.tracing.Tracer", loader))
                                .length
                        > 0;
            }
        };
    }

    @Bean
    ServletRegistrationBean<GatewayServlet> gatewayServlet(GatewayService service) {
        ServletRegistrationBean<GatewayServlet> registration =
                new ServletRegistrationBean<>(new GatewayServlet(service), GatewayServlet.PATHS);
        registration.setName("modelGateway");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
