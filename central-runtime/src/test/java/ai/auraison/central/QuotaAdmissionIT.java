package ai.auraison.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.PolicyContext;
import ai.auraison.contract.TenantId;
import ai.auraison.testfixtures.ContractFixtures;
import ai.auraison.testfixtures.HttpJson;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Queued-intent and concurrent-run quotas per tenant and per principal (ADR 0058): set through {@code /api/v1/quotas},
 * enforced at central intent admission with a 429 that is not stored as the intent's answer.
 */
class QuotaAdmissionIT extends GovernedTenantITBase {

    private String intent(String principal) {
        var i = ContractFixtures.anIntent().targeting(agent).build();
        return ContractJson.write(new ai.auraison.contract.Intent(
                IntentId.of("quota-" + UUID.randomUUID()),
                i.type(),
                i.params(),
                new PolicyContext(TenantId.of(tenant), principal, "test", null),
                i.targets(),
                null,
                null,
                null));
    }

    private HttpJson.Response submit(String body, String key) {
        return api.post("/api/v1/intents", body, bearer(key));
    }

    private void setQuota(Map<String, Object> body) {
        HttpJson.Response r = api.put("/api/v1/quotas", body, bearer(admin));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private int lease(int max) {
        HttpJson.Response work =
                api.post("/api/v1/agents/" + agent + "/work:poll", Map.of("max", max, "waitSeconds", 1), bearer(edge));
        assertThat(work.status()).as(work.toString()).isEqualTo(200);
        return work.json().get("items").size();
    }

    @Test
    void theIntentOverTheTenantsQueuedQuotaGets429UntilOneIsLeased() {
        setQuota(Map.of("maxQueuedIntents", 3));
        for (int i = 0; i < 3; i++)
            assertThat(submit(intent("ops"), ops).status()).isEqualTo(202);

        String fourth = intent("ops");
        HttpJson.Response refused = submit(fourth, ops);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.problemType()).isEqualTo("quota-queued-intents");
        assertThat(refused.json().get("rule").asString()).isEqualTo("quota.queued-intents");
        assertThat(refused.json().get("scope").asString()).isEqualTo("tenant");
        assertThat(refused.json().get("limit").asLong()).isEqualTo(3);
        assertThat(refused.json().get("current").asLong()).isEqualTo(3);
        assertThat(refused.json().get("detail").asString()).contains(tenant).contains("quota is 3");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 300L);
        assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"tenant-queued-intents\";q=3");
        assertThat(refused.header("RateLimit"))
                .isEqualTo("\"tenant-queued-intents\";r=0;t=" + refused.header("Retry-After"));

        assertThat(lease(1)).isEqualTo(1);
        // the 429 was not stored: the same intent is admitted once the lease shows in the counts
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> submit(fourth, ops).status() == 202);
        HttpJson.Response replay = submit(fourth, ops);
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.header("Auraison-Idempotent-Replay")).isEqualTo("true");
    }

    @Test
    void concurrentAdmissionsAtTheQueuedQuotaNeverOvershootIt() throws Exception {
        setQuota(Map.of("maxQueuedIntents", 5));
        int burst = 24;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(burst)) {
            for (int i = 0; i < burst; i++) {
                String body = intent("ops");
                statuses.add(pool.submit(() -> {
                    go.await();
                    return submit(body, ops).status();
                }));
            }
            go.countDown();
            long admitted = 0;
            for (var f : statuses) {
                int status = f.get();
                assertThat(status).isIn(202, 429);
                if (status == 202) admitted++;
            }
            // admissions in flight count against each other: at most the quota gets through, never more
            assertThat(admitted).isLessThanOrEqualTo(5);
            // and the rest of the quota is still there for the next ones, one at a time
            while (submit(intent("ops"), ops).status() == 202) admitted++;
            assertThat(admitted).isEqualTo(5);
        }
    }

    @Test
    void aPrincipalsTighterQueuedQuotaAppliesToThatPrincipalOnly() {
        String other = key("ops2", "operator", "operator");
        setQuota(Map.of("maxQueuedIntents", 10));
        setQuota(Map.of("principal", "ops", "maxQueuedIntents", 1));

        assertThat(submit(intent("ops"), ops).status()).isEqualTo(202);
        HttpJson.Response refused = submit(intent("ops"), ops);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.problemType()).isEqualTo("quota-queued-intents");
        assertThat(refused.json().get("scope").asString()).isEqualTo("principal");
        assertThat(refused.json().get("limit").asLong()).isEqualTo(1);
        assertThat(refused.json().get("current").asLong()).isEqualTo(1);
        assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"principal-queued-intents\";q=1");

        for (int i = 0; i < 3; i++)
            assertThat(submit(intent("ops2"), other).status()).isEqualTo(202);
    }

    @Test
    void withAsManyRunsLeasedAsTheConcurrentRunsQuotaTheNextIntentGets429() {
        setQuota(Map.of("maxConcurrentRuns", 2));
        assertThat(submit(intent("ops"), ops).status()).isEqualTo(202);
        assertThat(submit(intent("ops"), ops).status()).isEqualTo(202);
        assertThat(lease(2)).isEqualTo(2);

        // leases show at the next refresh of the counts; intents admitted before it only queue
        HttpJson.Response[] last = new HttpJson.Response[1];
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> (last[0] = submit(intent("ops"), ops)).status() == 429);
        HttpJson.Response refused = last[0];
        assertThat(refused.problemType()).isEqualTo("quota-concurrent-runs");
        assertThat(refused.json().get("rule").asString()).isEqualTo("quota.concurrent-runs");
        assertThat(refused.json().get("scope").asString()).isEqualTo("tenant");
        assertThat(refused.json().get("limit").asLong()).isEqualTo(2);
        assertThat(refused.json().get("current").asLong()).isEqualTo(2);
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"tenant-concurrent-runs\";q=2");
    }

    @Test
    void quotasRefuseNegativeValuesNamingTheFieldAndShowWhatIsSet() {
        HttpJson.Response queued = api.put("/api/v1/quotas", Map.of("maxQueuedIntents", -1), bearer(admin));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(400);
        assertThat(queued.problemType()).isEqualTo("invalid-quota");
        assertThat(queued.json().get("field").asString()).isEqualTo("maxQueuedIntents");
        HttpJson.Response running =
                api.put("/api/v1/quotas", Map.of("principal", "ops", "maxConcurrentRuns", -2), bearer(admin));
        assertThat(running.status()).isEqualTo(400);
        assertThat(running.json().get("field").asString()).isEqualTo("maxConcurrentRuns");

        setQuota(Map.of("maxQueuedIntents", 7, "maxConcurrentRuns", 3));
        setQuota(Map.of("principal", "ops", "maxConcurrentRuns", 1));
        HttpJson.Response shown = api.get("/api/v1/quotas", bearer(ops));
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().at("/tenant/maxQueuedIntents").asLong()).isEqualTo(7);
        assertThat(shown.json().at("/tenant/maxConcurrentRuns").asLong()).isEqualTo(3);
        // the rate quota, never set, keeps its default
        assertThat(shown.json().at("/tenant/burst").asLong()).isEqualTo(1000);
        assertThat(shown.json().at("/principals/ops/maxConcurrentRuns").asLong())
                .isEqualTo(1);
        assertThat(shown.json().at("/principals/ops/maxQueuedIntents").asLong()).isZero();
        assertThat(shown.json().at("/principalDefault/maxQueuedIntents").asLong())
                .isZero();

        HttpJson.Response audit = api.get("/api/v1/audit?action=quota.set", bearer(admin));
        assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
        assertThat(audit.json().get("items").size()).isEqualTo(2);
    }
}
