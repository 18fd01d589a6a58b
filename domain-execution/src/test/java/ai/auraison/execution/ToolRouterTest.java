package ai.auraison.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.contract.AgentId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.ToolCallId;
import ai.auraison.contract.ToolResult;
import ai.auraison.contract.ToolSpec;
import ai.auraison.testfixtures.ContractFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ToolRouterTest {

    private static final ToolSpec MOVE = ContractFixtures.aToolSpec("move");
    private static final ToolRouter.PortLimits TIGHT =
            new ToolRouter.PortLimits(Duration.ofMillis(300), 1, 50f, Duration.ofMinutes(1));

    private static ToolInvocation move(Object cells) {
        return new ToolInvocation(
                RunId.random(),
                ToolCallId.of("call_1"),
                AgentId.of("turtlebot-maze.t"),
                "turtlebot-maze",
                "move",
                Map.of("cells", cells));
    }

    private static ToolRouter router(RobotLink robot) {
        return new ToolRouter(
                robot,
                null,
                null,
                Map.of("move", ExecutionPort.ROBOT, "plan_grasp", ExecutionPort.INFERENCE),
                Map.of(ExecutionPort.ROBOT, TIGHT),
                new SimpleMeterRegistry());
    }

    private static String code(ToolResult r) {
        return ((ToolResult.Error) r).failure().code();
    }

    @Test
    void runsAValidCallOnItsPort() {
        try (ToolRouter router = router(i -> Map.of("moved", i.input().get("cells")))) {
            ToolResult r = router.execute(move(2), MOVE);
            assertThat(r).isEqualTo(new ToolResult.Output(Map.of("moved", 2)));
        }
    }

    @Test
    void refusesInputThatBreaksTheToolsSchemaNamingTheField() {
        AtomicInteger calls = new AtomicInteger();
        try (ToolRouter router = router(i -> Map.of("n", calls.incrementAndGet()))) {
            ToolResult r = router.execute(move(9), MOVE);
            assertThat(code(r)).isEqualTo("tool.invalid_input");
            assertThat(((ToolResult.Error) r).failure().message()).startsWith("/cells");
            assertThat(calls).hasValue(0);
        }
    }

    @Test
    void turnsAThrowingPortIntoAToolError() {
        try (ToolRouter router = router(i -> {
            throw new IllegalStateException("wheel stuck");
        })) {
            ToolResult r = router.execute(move(1), MOVE);
            assertThat(code(r)).isEqualTo("tool.failed");
            assertThat(((ToolResult.Error) r).failure().message()).contains("wheel stuck");
        }
    }

    @Test
    void timesOutASlowPort() {
        CountDownLatch never = new CountDownLatch(1);
        try (ToolRouter router = router(i -> {
            never.await();
            return Map.of();
        })) {
            long started = System.nanoTime();
            assertThat(code(router.execute(move(1), MOVE))).isEqualTo("tool.timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void refusesACallWhenThePortsBulkheadIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        try (ToolRouter router = new ToolRouter(
                i -> {
                    entered.countDown();
                    release.await();
                    return Map.of("moved", 1);
                },
                null,
                null,
                Map.of("move", ExecutionPort.ROBOT),
                Map.of(
                        ExecutionPort.ROBOT,
                        new ToolRouter.PortLimits(Duration.ofSeconds(10), 1, 50f, Duration.ofMinutes(1))),
                new SimpleMeterRegistry())) {
            CompletableFuture<ToolResult> first = CompletableFuture.supplyAsync(() -> router.execute(move(1), MOVE));
            entered.await();
            assertThat(code(router.execute(move(1), MOVE))).isEqualTo("tool.busy");
            release.countDown();
            assertThat(first.get()).isInstanceOf(ToolResult.Output.class);
        }
    }

    @Test
    void opensTheCircuitAfterRepeatedFailuresAndAnswersAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        try (ToolRouter router = router(i -> {
            calls.incrementAndGet();
            throw new IllegalStateException("offline");
        })) {
            for (int i = 0; i < 10; i++) router.execute(move(1), MOVE);
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> router.circuits().get(ExecutionPort.ROBOT).equals("OPEN"));
            int before = calls.get();
            assertThat(code(router.execute(move(1), MOVE))).isEqualTo("tool.circuit_open");
            assertThat(calls.get()).isEqualTo(before);
        }
    }

    @Test
    void reportsAToolWithoutPortAndAPortWithoutImplementation() {
        try (ToolRouter router = router(i -> Map.of())) {
            ToolSpec grasp = ContractFixtures.aToolSpec("plan_grasp");
            ToolInvocation unbound = new ToolInvocation(
                    RunId.random(), ToolCallId.of("c2"), AgentId.of("a"), "x", "dance", Map.of("cells", 1));
            assertThat(code(router.execute(unbound, ContractFixtures.aToolSpec("dance"))))
                    .isEqualTo("tool.unbound");
            ToolInvocation noPort = new ToolInvocation(
                    RunId.random(), ToolCallId.of("c3"), AgentId.of("a"), "x", "plan_grasp", Map.of("cells", 1));
            assertThat(code(router.execute(noPort, grasp))).isEqualTo("tool.no_port");
        }
    }

    @Test
    void refusesAnOutputThatBreaksTheOutputSchema() {
        ToolSpec strict = new ToolSpec(
                "move", "Move", MOVE.inputSchema(), Map.of("type", "object", "required", java.util.List.of("moved")));
        try (ToolRouter router = router(i -> Map.of("distance", 3))) {
            assertThat(code(router.execute(move(1), strict))).isEqualTo("tool.invalid_output");
        }
    }
}
