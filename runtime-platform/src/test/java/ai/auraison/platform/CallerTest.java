package ai.auraison.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.TenantId;
import ai.auraison.platform.Caller.Kind;
import ai.auraison.platform.Caller.Role;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

class CallerTest {

    private static final TenantId ACME = TenantId.of("acme");

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void anAdminIsAlsoOperatorAndViewer() {
        Caller admin = new Caller("root", Kind.OPERATOR, ACME, Set.of(Role.ADMIN));
        assertThat(admin.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.OPERATOR, Role.VIEWER);
        assertThat(new Caller("v", Kind.OPERATOR, ACME, Set.of(Role.VIEWER)).roles())
                .containsExactly(Role.VIEWER);
    }

    @Test
    void anApplicationActsOnlyForItselfInItsOwnTenant() {
        Caller app = new Caller("app-1", Kind.APPLICATION, ACME, Set.of(Role.APP));
        assertThat(app.actsFor(ACME, "app-1")).isTrue();
        assertThat(app.actsFor(ACME, "someone-else")).isFalse();
        assertThat(app.actsFor(TenantId.of("globex"), "app-1")).isFalse();
    }

    @Test
    void operatorsAndEdgesActForOthersButNeverAcrossTenants() {
        Caller operator = new Caller("op", Kind.OPERATOR, ACME, Set.of(Role.OPERATOR));
        Caller edge = new Caller("edge-1", Kind.EDGE, ACME, Set.of(Role.EDGE));
        Caller viewer = new Caller("v", Kind.OPERATOR, ACME, Set.of(Role.VIEWER));
        assertThat(operator.actsFor(ACME, "app-1")).isTrue();
        assertThat(edge.actsFor(ACME, "app-1")).isTrue();
        assertThat(viewer.actsFor(ACME, "app-1")).isFalse();
        assertThat(operator.actsFor(TenantId.of("globex"), "app-1")).isFalse();
    }

    @Test
    void currentIsTheCallerInTheSecurityContextAndEmptyWithoutOne() {
        assertThat(Caller.current()).isEmpty();
        assertThat(Caller.currentTenant()).isEmpty();
        Caller op = new Caller("op", Kind.OPERATOR, ACME, Set.of(Role.OPERATOR));
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(op, null, null));
        assertThat(Caller.current()).contains(op);
        assertThat(Caller.currentTenant()).contains("acme");
    }

    @Test
    void anotherKindOfPrincipalInTheContextIsNoCaller() {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken("alice", null));
        assertThat(Caller.current()).isEmpty();
    }
}
