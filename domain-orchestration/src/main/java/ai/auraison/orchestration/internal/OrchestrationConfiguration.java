package ai.auraison.orchestration.internal;

import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.orchestration.EventLog;
import ai.auraison.orchestration.OrchestrationProperties;
import ai.auraison.platform.DataDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the orchestration core; imported by {@code OrchestrationAutoConfiguration}. */
@Configuration(proxyBeanMethods = false)
@Import({RegistryController.class, AgentsController.class, IntentsController.class, RunsController.class})
public class OrchestrationConfiguration {

    @Bean
    OrchestrationMetrics orchestrationMetrics(MeterRegistry registry) {
        return new OrchestrationMetrics(registry);
    }

    @Bean(destroyMethod = "close")
    Signals orchestrationSignals(DataSource dataSource) {
        return new Signals(dataSource);
    }

    @Bean
    SkillCatalog skillCatalog(
            JdbcClient jdbc,
            PlatformTransactionManager txm,
            OrchestrationProperties properties,
            DataDirectory dataDirectory) {
        var dir = properties.skillsDir() != null ? properties.skillsDir() : dataDirectory.resolve("skills");
        return new SkillCatalog(jdbc, new TransactionTemplate(txm), dir.toAbsolutePath());
    }

    @Bean
    AgentRegistry agentRegistry(JdbcClient jdbc, SkillCatalog catalog, OrchestrationProperties properties) {
        return new AgentRegistry(jdbc, catalog, properties.heartbeatTimeout(), Clock.systemUTC());
    }

    @Bean
    RunLog runLog(JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager txm, Signals signals) {
        return new RunLog(jdbc, template, new TransactionTemplate(txm), signals);
    }

    @Bean
    EventLog eventLog(JdbcClient jdbc) {
        return new EventLog(jdbc);
    }

    @Bean
    WorkQueue workQueue(
            JdbcClient jdbc,
            PlatformTransactionManager txm,
            RunLog runs,
            Signals signals,
            OrchestrationMetrics metrics,
            OrchestrationProperties properties) {
        return new WorkQueue(
                jdbc,
                new TransactionTemplate(txm),
                runs,
                signals,
                metrics,
                properties.retryBackoff(),
                properties.maxRetryBackoff());
    }

    @Bean
    Backpressure backpressure(
            JdbcClient jdbc,
            PlatformTransactionManager txm,
            OrchestrationProperties properties,
            OrchestrationMetrics metrics) {
        return new Backpressure(
                jdbc, txm, properties.maxQueueDepthPerAgent(), properties.maxQueuedPerTenant(), metrics);
    }

    @Bean
    IntentAdmission intentAdmission(
            JdbcClient jdbc,
            PlatformTransactionManager txm,
            AgentRegistry agents,
            SkillCatalog catalog,
            RunLog runs,
            WorkQueue queue,
            Backpressure backpressure,
            ObjectProvider<PolicyHook> policyHooks,
            OrchestrationMetrics metrics,
            OrchestrationProperties properties) {
        Clock clock = Clock.systemUTC();
        List<PolicyHook> own = AdmissionHooks.all(agents, catalog, clock);
        return new IntentAdmission(
                jdbc,
                new TransactionTemplate(txm),
                agents,
                catalog,
                runs,
                queue,
                backpressure,
                // resolved once, at the first admission (the hooks are singletons; admission is a hot path)
                org.springframework.util.function.SingletonSupplier.of(() -> {
                    List<PolicyHook> all = new ArrayList<>(own);
                    policyHooks.orderedStream().forEach(all::add);
                    return List.copyOf(all);
                }),
                metrics,
                clock,
                properties.maxAttempts());
    }

    @Bean
    ApprovedIntents approvedIntents(
            JdbcClient jdbc,
            PlatformTransactionManager txm,
            RunLog runs,
            WorkQueue queue,
            OrchestrationProperties properties) {
        return new ApprovedIntents(
                jdbc, new TransactionTemplate(txm), runs, queue, Clock.systemUTC(), properties.maxAttempts());
    }

    @Bean
    AgentBulkheads agentBulkheads(OrchestrationProperties properties, OrchestrationMetrics metrics) {
        return new AgentBulkheads(properties.agentConcurrency(), metrics);
    }

    @Bean(destroyMethod = "close")
    Reaper orchestrationReaper(
            WorkQueue queue,
            AgentRegistry agents,
            Backpressure backpressure,
            Signals signals,
            OrchestrationProperties properties) {
        return new Reaper(queue, agents, backpressure, signals, properties.reaperInterval(), properties.depthRefresh());
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService runEventStreams() {
        return Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("run-stream-", 0).factory());
    }
}
