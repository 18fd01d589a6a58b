package ai.auraison.governance.internal;

import ai.auraison.contract.spi.ProjectionAdapter;
import ai.auraison.governance.GovernanceProperties;
import ai.auraison.governance.policy.InvalidPolicyException;
import ai.auraison.governance.policy.PolicyDocuments;
import ai.auraison.governance.policy.PolicySet;
import ai.auraison.platform.DataDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the governance domain on PostgreSQL; imported by {@code GovernanceAutoConfiguration}. */
@Configuration(proxyBeanMethods = false)
@Import({
    IdentityController.class,
    PolicyController.class,
    ApprovalsController.class,
    BudgetsController.class,
    AuditController.class,
    QuotasController.class,
    GovernanceSecurityConfiguration.class
})
public class GovernanceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GovernanceConfiguration.class);

    private static final Clock CLOCK = Clock.systemUTC();

    @Bean
    GovernanceMetrics governanceMetrics(MeterRegistry registry) {
        return new GovernanceMetrics(registry);
    }

    @Bean(destroyMethod = "close")
    AuditLog auditLog(
            JdbcClient jdbc,
            JdbcTemplate template,
            PlatformTransactionManager txm,
            GovernanceMetrics metrics,
            GovernanceProperties properties) {
        return new AuditLog(
                jdbc,
                template,
                new TransactionTemplate(txm),
                metrics,
                properties.audit().flushInterval(),
                properties.audit().queueCapacity());
    }

    @Bean
    TenantDirectory tenantDirectory(JdbcClient jdbc) {
        return new TenantDirectory(jdbc);
    }

    @Bean
    ApiKeys apiKeys(JdbcClient jdbc, GovernanceProperties properties) {
        return new ApiKeys(jdbc, properties.keyCacheTtl(), CLOCK);
    }

    @Bean
    RateLimits rateLimits(JdbcClient jdbc, GovernanceProperties properties) {
        return new RateLimits(jdbc, properties.quotas());
    }

    @Bean
    PolicyStore policyStore(JdbcClient jdbc, GovernanceProperties properties, DataDirectory dataDirectory) {
        List<PolicySet> baseline = new ArrayList<>();
        try (InputStream in = GovernanceConfiguration.class.getResourceAsStream("/governance/baseline.yaml")) {
            baseline.add(PolicyDocuments.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dir = properties.policiesDir() != null ? properties.policiesDir() : dataDirectory.resolve("policies");
        baseline.addAll(readFolder(dir));
        return new PolicyStore(jdbc, baseline, properties.defaultEffect());
    }

    /** The operator's baseline sets: every {@code *.yaml}, {@code *.yml}, {@code *.json} of the folder, by name. */
    static List<PolicySet> readFolder(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        List<PolicySet> sets = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
                    .sorted()
                    .toList()) {
                sets.add(readFile(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the policies folder " + dir, e);
        }
        return sets;
    }

    static PolicySet readFile(Path f) {
        try {
            return PolicyDocuments.parse(Files.readString(f));
        } catch (InvalidPolicyException e) {
            throw new IllegalStateException("invalid policy file " + f + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the policy file " + f, e);
        }
    }

    @Bean
    PolicySet staleAllowList(GovernanceProperties properties) {
        Path file = properties.bundle().staleAllowList();
        return file == null ? new PolicySet("stale-allow-list", null, null, List.of()) : readFile(file);
    }

    @Bean
    BundleSigning bundleSigning(JdbcClient jdbc, PlatformTransactionManager txm) {
        return new BundleSigning(jdbc, new TransactionTemplate(txm), CLOCK);
    }

    @Bean
    Approvals approvals(JdbcClient jdbc) {
        return new Approvals(jdbc);
    }

    @Bean
    JdbcBudgetLedger budgetLedger(
            JdbcClient jdbc,
            PlatformTransactionManager txm,
            GovernanceProperties properties,
            GovernanceMetrics metrics) {
        return new JdbcBudgetLedger(
                jdbc, new TransactionTemplate(txm), CLOCK, properties.budgets().requireKnownRef(), metrics);
    }

    @Bean
    GovernanceHook governanceHook(
            PolicyStore policies,
            JdbcBudgetLedger ledger,
            Approvals approvals,
            RateLimits quotas,
            AuditLog audit,
            GovernanceMetrics metrics) {
        return new GovernanceHook(policies, ledger, approvals, quotas, audit, metrics, CLOCK);
    }

    @Bean
    ProjectionAdapter governanceProjection(JdbcBudgetLedger ledger) {
        return new GovernanceProjection(ledger);
    }

    /** The governance background tasks; not an {@code ExecutorService} bean, so it is never injected elsewhere. */
    record Schedules(ScheduledExecutorService executor) implements AutoCloseable {
        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    @Bean(destroyMethod = "close")
    Schedules governanceSchedules(PolicyStore policies, JdbcBudgetLedger ledger, GovernanceProperties properties) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("governance-schedule").daemon().factory());
        long refresh = properties.policyRefresh().toMillis();
        s.scheduleWithFixedDelay(
                () -> guarded("policy refresh", policies::refresh), refresh, refresh, TimeUnit.MILLISECONDS);
        s.scheduleWithFixedDelay(
                () -> guarded(
                        "idle budget release",
                        () -> ledger.releaseIdle(properties.budgets().idleRelease())),
                60,
                60,
                TimeUnit.SECONDS);
        return new Schedules(s);
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("governance {}: {}", what, e.toString());
        }
    }

    @Bean
    SmartInitializingSingleton governanceBootstrap(
            JdbcClient jdbc,
            PlatformTransactionManager txm,
            TenantDirectory directory,
            ApiKeys keys,
            AuditLog audit,
            GovernanceProperties properties) {
        return () -> Bootstrap.run(
                jdbc,
                new TransactionTemplate(txm),
                directory,
                keys,
                audit,
                properties.bootstrapTenant(),
                properties.bootstrapAdminKey(),
                CLOCK,
                System.out);
    }
}
