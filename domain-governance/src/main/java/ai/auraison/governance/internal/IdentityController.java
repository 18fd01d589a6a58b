package ai.auraison.governance.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.governance.GovernanceProperties;
import ai.auraison.platform.Caller;
import ai.auraison.platform.Cursors;
import ai.auraison.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tenants, principals and API keys. A tenant's admins manage its principals and keys; only the platform admin (an
 * admin of the bootstrap tenant) creates tenants. Every change is audited; a key's plain text is in the response that
 * creates it and nowhere else.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "identities", description = "Tenants, principals (operators, edge nodes, applications), roles and API keys")
class IdentityController {

    record CreateTenant(
            @NotBlank String tenant,
            String displayName,
            @Valid AdminSpec admin) {
        record AdminSpec(@NotBlank String principal) {}
    }

    record CreatePrincipal(
            @NotBlank String principal,
            @NotBlank String kind,
            @NotEmpty List<@NotBlank String> roles) {}

    record CreateKey(Instant expiresAt) {}

    record RotateKey(@PositiveOrZero Long graceSeconds) {}

    record KeyIssued(UUID keyId, String principal, String key, String prefix, Instant expiresAt) {}

    record PrincipalView(
            String principal, String kind, List<String> roles, boolean disabled, String createdBy, Instant createdAt) {}

    record TenantCreated(TenantDirectory.Tenant tenant, KeyIssued admin) {}

    private final TenantDirectory directory;
    private final ApiKeys keys;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final GovernanceProperties properties;
    private final Clock clock = Clock.systemUTC();

    IdentityController(
            TenantDirectory directory,
            ApiKeys keys,
            AuditLog audit,
            PlatformTransactionManager txm,
            GovernanceProperties properties) {
        this.directory = directory;
        this.keys = keys;
        this.audit = audit;
        this.tx = new TransactionTemplate(txm);
        this.properties = properties;
    }

    private boolean platformAdmin(Caller c) {
        return c.has(Caller.Role.ADMIN) && c.tenant().value().equals(properties.bootstrapTenant());
    }

    private void record(String tenant, Caller by, String action, String subject, Object details) {
        audit.appendNow(new AuditLog.Entry(
                tenant,
                clock.instant(),
                Pages.actor(by),
                AuditLog.ADMIN,
                action,
                subject,
                "ok",
                ContractJson.write(details)));
    }

    @PostMapping("/tenants")
    @Operation(
            summary = "Create a tenant with its first admin",
            description = "Platform admin only (an admin of the bootstrap tenant). 201 with the admin's API key, shown "
                    + "this once; 409 when the tenant exists.")
    ResponseEntity<TenantCreated> createTenant(@Valid @RequestBody CreateTenant body) {
        Caller c = Pages.caller();
        if (!platformAdmin(c)) {
            throw new ProblemException(
                    HttpStatus.FORBIDDEN,
                    "platform-admin-only",
                    "Forbidden",
                    "only an admin of the bootstrap tenant creates tenants");
        }
        String adminName = body.admin() == null ? "admin" : body.admin().principal();
        TenantCreated created = tx.execute(status -> {
            var tenant = directory.createTenant(body.tenant(), body.displayName(), Pages.actor(c));
            directory.createPrincipal(
                    tenant.tenant(), adminName, Caller.Kind.OPERATOR, EnumSet.of(Caller.Role.ADMIN), Pages.actor(c));
            var key = keys.issue(tenant.tenant(), adminName, null, Pages.actor(c));
            record(
                    tenant.tenant(),
                    c,
                    "tenant.create",
                    tenant.tenant(),
                    Map.of("admin", adminName, "keyId", key.keyId()));
            return new TenantCreated(tenant, new KeyIssued(key.keyId(), adminName, key.key(), key.prefix(), null));
        });
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    @GetMapping("/tenants")
    @Operation(summary = "List tenants", description = "The caller's own tenant; every tenant for the platform admin")
    List<TenantDirectory.Tenant> tenants() {
        Caller c = Pages.caller();
        if (platformAdmin(c)) return directory.tenants();
        return directory.tenant(c.tenant().value()).map(List::of).orElse(List.of());
    }

    @GetMapping("/tenants/{tenant}")
    @Operation(summary = "Get a tenant", description = "The caller's own (any, for the platform admin); 404 otherwise")
    TenantDirectory.Tenant tenant(@PathVariable String tenant) {
        Caller c = Pages.caller();
        if (!platformAdmin(c) && !c.sees(tenant)) throw ProblemException.notFound("tenant", tenant);
        return directory.tenant(tenant).orElseThrow(() -> ProblemException.notFound("tenant", tenant));
    }

    @PostMapping("/principals")
    @Operation(
            summary = "Create a principal of the caller's tenant",
            description = "kind operator (roles admin, operator, viewer), edge (role edge) or application (role app); "
                    + "422 naming the field when they do not fit, 409 when the principal exists")
    ResponseEntity<PrincipalView> createPrincipal(@Valid @RequestBody CreatePrincipal body) {
        Caller c = Pages.caller();
        Caller.Kind kind;
        Set<Caller.Role> roles = EnumSet.noneOf(Caller.Role.class);
        try {
            kind = Caller.Kind.of(body.kind());
            for (String r : body.roles()) roles.add(Caller.Role.of(r));
        } catch (IllegalArgumentException e) {
            throw ProblemException.unprocessable(
                            "invalid-principal",
                            "kind is operator, edge or application; roles are admin, operator, viewer, edge, app")
                    .with("field", "kind/roles");
        }
        var p = tx.execute(status -> {
            var created = directory.createPrincipal(c.tenant().value(), body.principal(), kind, roles, Pages.actor(c));
            record(
                    c.tenant().value(),
                    c,
                    "principal.create",
                    body.principal(),
                    Map.of("kind", kind.wireName(), "roles", body.roles()));
            return created;
        });
        return ResponseEntity.status(HttpStatus.CREATED).body(view(p));
    }

    @GetMapping("/principals")
    @Operation(summary = "List the principals of the caller's tenant", description = "Sorted by id; cursor pagination")
    Cursors.Page<PrincipalView> principals(
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        int n = Cursors.limit(limit, 50, 500);
        var rows = directory.principals(Pages.caller().tenant().value(), Cursors.decode(cursor), n + 1).stream()
                .map(IdentityController::view)
                .toList();
        return Cursors.page(rows, n, PrincipalView::principal);
    }

    @GetMapping("/principals/{principal}")
    @Operation(summary = "Get a principal of the caller's tenant")
    PrincipalView principal(@PathVariable String principal) {
        return view(directory.requirePrincipal(Pages.caller().tenant().value(), principal));
    }

    @PostMapping("/principals/{principal}:disable")
    @Operation(summary = "Disable a principal", description = "Its keys stop working (at once on this replica)")
    PrincipalView disable(@PathVariable String principal) {
        return setDisabled(principal, true);
    }

    @PostMapping("/principals/{principal}:enable")
    @Operation(summary = "Enable a disabled principal")
    PrincipalView enable(@PathVariable String principal) {
        return setDisabled(principal, false);
    }

    private PrincipalView setDisabled(String principal, boolean disabled) {
        Caller c = Pages.caller();
        var p = tx.execute(status -> {
            var changed = directory.setDisabled(c.tenant().value(), principal, disabled);
            record(c.tenant().value(), c, disabled ? "principal.disable" : "principal.enable", principal, Map.of());
            return changed;
        });
        keys.forgetAll();
        return view(p);
    }

    @PostMapping("/principals/{principal}/keys")
    @Operation(
            summary = "Issue an API key for a principal",
            description =
                    "201 with the key's plain text, shown this once (only its SHA-256 is stored); optional expiresAt")
    ResponseEntity<KeyIssued> issue(@PathVariable String principal, @RequestBody(required = false) CreateKey body) {
        Caller c = Pages.caller();
        directory.requirePrincipal(c.tenant().value(), principal);
        Instant expires = body == null ? null : body.expiresAt();
        if (expires != null && !expires.isAfter(clock.instant())) {
            throw ProblemException.unprocessable("invalid-expiry", "expiresAt must be in the future")
                    .with("field", "expiresAt");
        }
        var issued = tx.execute(status -> {
            var k = keys.issue(c.tenant().value(), principal, expires, Pages.actor(c));
            record(c.tenant().value(), c, "key.issue", principal, Map.of("keyId", k.keyId(), "prefix", k.prefix()));
            return k;
        });
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new KeyIssued(issued.keyId(), principal, issued.key(), issued.prefix(), issued.expiresAt()));
    }

    @GetMapping("/principals/{principal}/keys")
    @Operation(
            summary = "List a principal's keys",
            description = "Prefixes and dates only; a key's secret is never shown again")
    List<ApiKeys.KeyView> keysOf(@PathVariable String principal) {
        Caller c = Pages.caller();
        directory.requirePrincipal(c.tenant().value(), principal);
        return keys.list(c.tenant().value(), principal);
    }

    @PostMapping("/keys/{keyId}:rotate")
    @Operation(
            summary = "Rotate a key",
            description = "201 with a new key for the same principal; the old one keeps working for graceSeconds "
                    + "(default 0: revoked at once)")
    ResponseEntity<KeyIssued> rotate(@PathVariable String keyId, @Valid @RequestBody(required = false) RotateKey body) {
        Caller c = Pages.caller();
        UUID id = keyId(keyId);
        Duration grace = Duration.ofSeconds(body == null || body.graceSeconds() == null ? 0 : body.graceSeconds());
        var issued = tx.execute(status -> {
            var k = keys.rotate(c.tenant().value(), id, grace, Pages.actor(c));
            record(
                    c.tenant().value(),
                    c,
                    "key.rotate",
                    id.toString(),
                    Map.of("newKeyId", k.keyId(), "graceSeconds", grace.toSeconds()));
            return k;
        });
        keys.forgetAll(); // again after commit: a request in between may have cached the old state
        String principal = keys.view(c.tenant().value(), issued.keyId()).principal();
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new KeyIssued(issued.keyId(), principal, issued.key(), issued.prefix(), issued.expiresAt()));
    }

    @PostMapping("/keys/{keyId}:revoke")
    @Operation(
            summary = "Revoke a key",
            description = "It stops working at once on this replica, within key-cache-ttl on others")
    ApiKeys.KeyView revoke(@PathVariable String keyId) {
        Caller c = Pages.caller();
        UUID id = keyId(keyId);
        var revoked = tx.execute(status -> {
            var v = keys.revoke(c.tenant().value(), id);
            record(c.tenant().value(), c, "key.revoke", id.toString(), Map.of("principal", v.principal()));
            return v;
        });
        keys.forgetAll(); // again after commit: a request in between may have cached the old state
        return revoked;
    }

    private static UUID keyId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("key", text);
        }
    }

    private static PrincipalView view(TenantDirectory.Principal p) {
        return new PrincipalView(
                p.principal(),
                p.kind().wireName(),
                p.roles().stream().map(Caller.Role::wireName).sorted().toList(),
                p.disabled(),
                p.createdBy(),
                p.createdAt());
    }
}
