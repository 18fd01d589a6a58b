package ai.auraison.platform;

import ai.auraison.contract.TenantId;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling: an authenticated principal of a tenant, of a kind, with its effective roles. Domains use it to
 * scope every query and mutation to the caller's tenant without depending on the module that authenticates (the
 * governance domain puts the caller into the Spring Security context as the authentication's principal).
 *
 * <p>{@link #current()} is empty when the app runs without authentication (a module's own test app, or the central
 * runtime with {@code auraison.governance.enabled=false}); callers then apply no tenant filter. With governance on,
 * every request that reaches a controller has a caller. Thread-safe (immutable); {@code current()} reads the calling
 * thread's security context, so resolve it on the request thread.
 *
 * @param principal the principal's id, unique within its tenant (what an intent's {@code policyCtx.principal} names)
 * @param kind an operator (a person or their tools), an edge node, or an application
 * @param tenant the tenant the principal belongs to
 * @param roles the effective roles (implied roles included: an admin is also operator and viewer)
 */
public record Caller(String principal, Kind kind, TenantId tenant, Set<Role> roles) {

    /** The kinds of principal. */
    public enum Kind {
        OPERATOR,
        EDGE,
        APPLICATION;

        /** The wire name: {@code operator}, {@code edge}, {@code application}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind of a wire name; {@link IllegalArgumentException} for an unknown one. */
        public static Kind of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** The roles; {@code ADMIN} implies {@code OPERATOR}, which implies {@code VIEWER}. */
    public enum Role {
        ADMIN,
        OPERATOR,
        VIEWER,
        EDGE,
        APP;

        /** The wire name: {@code admin}, {@code operator}, {@code viewer}, {@code edge}, {@code app}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The role of a wire name; {@link IllegalArgumentException} for an unknown one. */
        public static Role of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }

        /** This role with the roles it implies. */
        public Set<Role> withImplied() {
            return switch (this) {
                case ADMIN -> EnumSet.of(ADMIN, OPERATOR, VIEWER);
                case OPERATOR -> EnumSet.of(OPERATOR, VIEWER);
                default -> EnumSet.of(this);
            };
        }
    }

    public Caller {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tenant, "tenant");
        EnumSet<Role> effective = EnumSet.noneOf(Role.class);
        for (Role r : roles) effective.addAll(r.withImplied());
        roles = Set.copyOf(effective);
    }

    /** The caller of the current request, when the app authenticates callers. */
    public static Optional<Caller> current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof Caller c ? Optional.of(c) : Optional.empty();
    }

    /** The tenant every query of the current request is scoped to; empty when the app authenticates no one. */
    public static Optional<String> currentTenant() {
        return current().map(c -> c.tenant().value());
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Whether rows of {@code tenant} are visible to this caller: only its own tenant's are. */
    public boolean sees(String tenant) {
        return this.tenant.value().equals(tenant);
    }

    /**
     * Whether this caller may submit work on behalf of {@code principal} of {@code tenant}: only within its own
     * tenant, and for another principal only as an operator (or admin) or an edge node (which forwards the intents of
     * its local applications). An application acts only for itself.
     */
    public boolean actsFor(TenantId tenant, String principal) {
        if (!this.tenant.equals(tenant)) return false;
        return this.principal.equals(principal) || has(Role.OPERATOR) || has(Role.EDGE);
    }
}
