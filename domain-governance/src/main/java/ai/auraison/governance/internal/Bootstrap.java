package ai.auraison.governance.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.platform.Caller;
import java.io.PrintStream;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * First start: when governance holds no tenant yet, creates the bootstrap tenant and its admin ({@code admin}, role
 * admin) with an API key — the one given ({@code AURAISON_BOOTSTRAP_ADMIN_KEY}), or a new one printed once to standard
 * output (never to the log). Replicas starting together create it once (an advisory lock).
 */
final class Bootstrap {

    static final String ADMIN = "admin";

    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private Bootstrap() {}

    /** Creates the bootstrap admin if there is no tenant yet; returns whether it did. */
    static boolean run(
            JdbcClient jdbc,
            TransactionTemplate tx,
            TenantDirectory directory,
            ApiKeys keys,
            AuditLog audit,
            String tenant,
            String providedKey,
            Clock clock,
            PrintStream console) {
        String[] printed = new String[1];
        Boolean created = tx.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('governance.bootstrap'))")
                    .query()
                    .singleRow();
            if (directory.anyTenant()) return false;
            String by = "system/bootstrap";
            directory.createTenant(tenant, "Bootstrap tenant (platform admins)", by);
            directory.createPrincipal(tenant, ADMIN, Caller.Kind.OPERATOR, EnumSet.of(Caller.Role.ADMIN), by);
            ApiKeys.Issued key = providedKey == null || providedKey.isBlank()
                    ? keys.issue(tenant, ADMIN, null, by)
                    : keys.adopt(tenant, ADMIN, providedKey.trim(), by);
            audit.appendNow(new AuditLog.Entry(
                    tenant,
                    clock.instant(),
                    by,
                    AuditLog.ADMIN,
                    "bootstrap",
                    tenant + "/" + ADMIN,
                    "ok",
                    ContractJson.write(Map.of(
                            "keyId", key.keyId(), "prefix", key.prefix(), "fromEnvironment", providedKey != null))));
            if (providedKey == null || providedKey.isBlank()) printed[0] = key.key();
            return true;
        });
        if (Boolean.TRUE.equals(created)) {
            if (printed[0] != null) {
                console.println();
                console.println("==================================================================================");
                console.println(" Auraison bootstrap admin key (shown this once; keep it, it is stored only hashed):");
                console.println();
                console.println("   " + printed[0]);
                console.println();
                console.println(
                        " Use it as:  curl -H 'Authorization: Bearer <key>' http://127.0.0.1:8080/api/v1/tenants");
                console.println("==================================================================================");
                console.println();
                console.flush();
                log.info(
                        "created the bootstrap admin {}/{}; its key was printed once to standard output",
                        tenant,
                        ADMIN);
            } else {
                log.info(
                        "created the bootstrap admin {}/{} with the key from AURAISON_BOOTSTRAP_ADMIN_KEY",
                        tenant,
                        ADMIN);
            }
        }
        return Boolean.TRUE.equals(created);
    }
}
