package ai.auraison.governance.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.platform.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Request-rate quotas of the caller's tenant and its principals. */
@RestController
@RequestMapping("/api/v1/quotas")
@Tag(
        name = "quotas",
        description = "Request-rate quotas per tenant and per principal (token buckets; 429 with Retry-After)")
class QuotasController {

    record SetQuota(
            String principal,
            @Positive double requestsPerSecond,
            @Min(1) int burst) {}

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
            description = "For the tenant (principal absent) or one principal of it; applies at once on this replica, "
                    + "within 30 s on others")
    Map<String, Object> put(@Valid @RequestBody SetQuota q) {
        Caller c = Pages.caller();
        String principal = q.principal() == null ? "" : q.principal();
        if (!principal.isEmpty()) directory.requirePrincipal(c.tenant().value(), principal);
        tx.executeWithoutResult(status -> {
            limits.put(c.tenant().value(), principal, new RateLimits.Quota(q.requestsPerSecond(), q.burst()));
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
}
