package ai.auraison.governance.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.platform.Caller;
import ai.auraison.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Quotas of the caller's tenant and its principals: request rate, queued intents, concurrent runs. */
@RestController
@RequestMapping("/api/v1/quotas")
@Tag(
        name = "quotas",
        description =
                "Quotas per tenant and per principal: request rate (token buckets), queued intents and concurrent "
                        + "runs (checked at intent admission); over a quota, 429 with Retry-After and RateLimit headers")
class QuotasController {

    /** Fields left out keep their stored value (or the configured default); 0 for the last two is unlimited. */
    record SetQuota(
            String principal,
            Double requestsPerSecond,
            Integer burst,
            Integer maxQueuedIntents,
            Integer maxConcurrentRuns) {}

    private final RateLimits limits;
    private final TenantDirectory directory;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock = Clock.systemUTC();

    QuotasController(RateLimits limits, TenantDirectory directory, AuditLog audit, PlatformTransactionManager txm) {
        this.limits = limits;
        this.directory = directory;
        this.audit = audit;
        this.tx = new TransactionTemplate(txm);
    }

    @GetMapping
    @Operation(summary = "The quotas in force", description = "The tenant's, and every principal's that has its own")
    Map<String, Object> get() {
        String tenant = Pages.caller().tenant().value();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tenant", limits.quota(tenant, ""));
        out.put("principalDefault", limits.quota(tenant, "\u0000default"));
        Map<String, RateLimits.Quota> principals = new LinkedHashMap<>(limits.stored(tenant));
        principals.remove("");
        out.put("principals", principals);
        return out;
    }

    @PutMapping
    @Operation(
            summary = "Set a quota",
            description = "For the tenant (principal absent) or one principal of it; fields left out keep their value. "
                    + "maxQueuedIntents and maxConcurrentRuns are 0 (unlimited) or more. Applies at once on this "
                    + "replica, within 30 s on others. 400 naming the field for a value out of range.")
    Map<String, Object> put(@RequestBody SetQuota q) {
        Caller c = Pages.caller();
        if (q.requestsPerSecond() != null && !(q.requestsPerSecond() > 0))
            throw invalid("requestsPerSecond", "more than 0", q.requestsPerSecond());
        if (q.burst() != null && q.burst() < 1) throw invalid("burst", "1 or more", q.burst());
        if (q.maxQueuedIntents() != null && q.maxQueuedIntents() < 0)
            throw invalid("maxQueuedIntents", "0 (unlimited) or more", q.maxQueuedIntents());
        if (q.maxConcurrentRuns() != null && q.maxConcurrentRuns() < 0)
            throw invalid("maxConcurrentRuns", "0 (unlimited) or more", q.maxConcurrentRuns());
        String principal = q.principal() == null ? "" : q.principal();
        if (!principal.isEmpty()) directory.requirePrincipal(c.tenant().value(), principal);
        tx.executeWithoutResult(status -> {
            limits.put(
                    c.tenant().value(),
                    principal,
                    new RateLimits.Stored(
                            q.requestsPerSecond(), q.burst(), q.maxQueuedIntents(), q.maxConcurrentRuns()));
            audit.appendNow(new AuditLog.Entry(
                    c.tenant().value(),
                    clock.instant(),
                    Pages.actor(c),
                    AuditLog.ADMIN,
                    "quota.set",
                    principal.isEmpty() ? "(tenant)" : principal,
                    "ok",
                    ContractJson.write(q)));
        });
        limits.reload();
        return get();
    }

    private static ProblemException invalid(String field, String range, Object value) {
        return new ProblemException(
                        HttpStatus.BAD_REQUEST,
                        "invalid-quota",
                        "Invalid quota",
                        field + " must be " + range + ", was " + value)
                .with("field", field);
    }
}
