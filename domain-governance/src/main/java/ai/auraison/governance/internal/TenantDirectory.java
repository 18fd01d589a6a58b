package ai.auraison.governance.internal;

import ai.auraison.contract.TenantId;
import ai.auraison.platform.Caller;
import ai.auraison.platform.ProblemException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Tenants and their principals (operators, edge nodes, applications) with their roles. */
final class TenantDirectory {

    /** The principal id's form: what an intent's {@code policyCtx.principal} allows. */
    static final Pattern PRINCIPAL = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$");

    record Tenant(String tenant, String displayName, String createdBy, Instant createdAt) {}

    record Principal(
            String tenant,
            String principal,
            Caller.Kind kind,
            Set<Caller.Role> roles,
            boolean disabled,
            String createdBy,
            Instant createdAt) {}

    private final JdbcClient jdbc;

    TenantDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean anyTenant() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM governance.tenants)")
                .query(Boolean.class)
                .single();
    }

    Tenant createTenant(String tenant, String displayName, String by) {
        try {
            TenantId.of(tenant);
        } catch (IllegalArgumentException e) {
            throw ProblemException.unprocessable("invalid-tenant", e.getMessage())
                    .with("field", "tenant");
        }
        try {
            jdbc.sql("INSERT INTO governance.tenants (tenant, display_name, created_by) VALUES (?, ?, ?)")
                    .params(tenant, displayName == null ? tenant : displayName, by)
                    .update();
        } catch (DuplicateKeyException e) {
            throw ProblemException.conflict("tenant-exists", "tenant " + tenant + " already exists")
                    .with("field", "tenant");
        }
        return tenant(tenant).orElseThrow();
    }

    Optional<Tenant> tenant(String tenant) {
        return jdbc.sql("SELECT tenant, display_name, created_by, created_at FROM governance.tenants WHERE tenant = ?")
                .param(tenant)
                .query(TenantDirectory::mapTenant)
                .optional();
    }

    List<Tenant> tenants() {
        return jdbc.sql("SELECT tenant, display_name, created_by, created_at FROM governance.tenants ORDER BY tenant")
                .query(TenantDirectory::mapTenant)
                .list();
    }

    /** Creates a principal; its roles must fit its kind (edge nodes are {@code edge}, applications {@code app}). */
    Principal createPrincipal(String tenant, String principal, Caller.Kind kind, Set<Caller.Role> roles, String by) {
        if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
            throw ProblemException.unprocessable("invalid-principal", "principal must match " + PRINCIPAL.pattern())
                    .with("field", "principal");
        }
        Set<Caller.Role> allowed = switch (kind) {
            case OPERATOR -> EnumSet.of(Caller.Role.ADMIN, Caller.Role.OPERATOR, Caller.Role.VIEWER);
            case EDGE -> EnumSet.of(Caller.Role.EDGE);
            case APPLICATION -> EnumSet.of(Caller.Role.APP);
        };
        if (roles.isEmpty() || !allowed.containsAll(roles)) {
            throw ProblemException.unprocessable(
                            "invalid-roles",
                            "a principal of kind " + kind.wireName() + " has one or more of the roles "
                                    + allowed.stream()
                                            .map(Caller.Role::wireName)
                                            .toList())
                    .with("field", "roles");
        }
        try {
            jdbc.sql(
                            "INSERT INTO governance.principals (tenant, principal, kind, roles, created_by) VALUES (?, ?, ?, ?, ?)")
                    .params(
                            tenant,
                            principal,
                            kind.wireName(),
                            roles.stream().map(Caller.Role::wireName).sorted().toArray(String[]::new),
                            by)
                    .update();
        } catch (DuplicateKeyException e) {
            throw ProblemException.conflict("principal-exists", "principal " + principal + " already exists")
                    .with("field", "principal");
        }
        return principal(tenant, principal).orElseThrow();
    }

    Optional<Principal> principal(String tenant, String principal) {
        return jdbc.sql(SELECT_PRINCIPAL + " WHERE tenant = ? AND principal = ?")
                .params(tenant, principal)
                .query(TenantDirectory::mapPrincipal)
                .optional();
    }

    Principal requirePrincipal(String tenant, String principal) {
        return principal(tenant, principal).orElseThrow(() -> ProblemException.notFound("principal", principal));
    }

    List<Principal> principals(String tenant, String after, int limit) {
        return jdbc.sql(SELECT_PRINCIPAL + " WHERE tenant = ? AND principal > ? ORDER BY principal LIMIT ?")
                .params(tenant, after == null ? "" : after, limit)
                .query(TenantDirectory::mapPrincipal)
                .list();
    }

    Principal setDisabled(String tenant, String principal, boolean disabled) {
        int n = jdbc.sql("UPDATE governance.principals SET disabled = ? WHERE tenant = ? AND principal = ?")
                .params(disabled, tenant, principal)
                .update();
        if (n == 0) throw ProblemException.notFound("principal", principal);
        return requirePrincipal(tenant, principal);
    }

    private static final String SELECT_PRINCIPAL =
            "SELECT tenant, principal, kind, roles, disabled, created_by, created_at FROM governance.principals";

    private static Tenant mapTenant(ResultSet rs, int row) throws SQLException {
        return new Tenant(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getTimestamp(4).toInstant());
    }

    static Set<Caller.Role> roles(Array array) throws SQLException {
        Set<Caller.Role> roles = EnumSet.noneOf(Caller.Role.class);
        for (String r : (String[]) array.getArray()) roles.add(Caller.Role.of(r));
        return roles;
    }

    private static Principal mapPrincipal(ResultSet rs, int row) throws SQLException {
        return new Principal(
                rs.getString(1),
                rs.getString(2),
                Caller.Kind.of(rs.getString(3)),
                roles(rs.getArray(4)),
                rs.getBoolean(5),
                rs.getString(6),
                rs.getTimestamp(7).toInstant());
    }
}
