package ai.auraison.execution.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.contract.TenantId;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.ModelCallPhases;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.execution.gateway.GatewayCaller;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BudgetGateTest {

    /** A ledger hook whose database refuses the first {@code failures} settlements. */
    static final class FlakyLedger implements PolicyHook {
        final AtomicInteger failures;
        final List<String> settled = new CopyOnWriteArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();

        FlakyLedger(int failures) {
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public String name() {
            return "flaky-ledger";
        }

        @Override
        public PolicyDecision decide(PolicySubject subject, DecisionContext context) {
            if (ModelCallPhases.isSettlement(context)) {
                attempts.incrementAndGet();
                if (failures.getAndDecrement() > 0) throw new IllegalStateException("database unreachable");
                settled.add(context.attributes().get(ModelCallPhases.CALL_ID));
            }
            return PolicyDecision.allow("flaky-ledger.ok");
        }
    }

    private static final GatewayCaller CALLER = new GatewayCaller(TenantId.of("acme"), "ops", null);

    @Test
    void aSettlementThatFailsIsTriedAgainUntilTheLedgerTakesIt() {
        FlakyLedger ledger = new FlakyLedger(2);
        BudgetGate gate = new BudgetGate(List.of(ledger), Duration.ofMillis(20));
        UUID call = UUID.randomUUID();
        gate.settle(CALLER, call, "gpt", 10, 20, new BigDecimal("0.01"), "ok");
        await().atMost(Duration.ofSeconds(10)).until(() -> !ledger.settled.isEmpty());
        assertThat(ledger.settled).containsExactly(call.toString());
        assertThat(ledger.attempts).hasValue(3);
    }

    @Test
    void aSettlementIsGivenUpAfterItsLastAttempt() {
        FlakyLedger ledger = new FlakyLedger(Integer.MAX_VALUE);
        BudgetGate gate = new BudgetGate(List.of(ledger), Duration.ofMillis(1));
        gate.settle(CALLER, UUID.randomUUID(), "gpt", 10, 20, BigDecimal.ZERO, "ok");
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.attempts.get() == BudgetGate.SETTLE_ATTEMPTS);
        // no attempt after the last one
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> ledger.attempts.get() == BudgetGate.SETTLE_ATTEMPTS);
        assertThat(ledger.settled).isEmpty();
    }
}
