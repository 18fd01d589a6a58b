package ai.auraison.execution.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.contract.AgentId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.ToolCallId;
import ai.auraison.execution.ToolInvocation;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimulatedTurtlebotTest {

    private final SimulatedTurtlebot bot = new SimulatedTurtlebot("classic-8x8");
    private final RunId run = RunId.random();
    private int calls;

    private Map<String, Object> call(String tool, Map<String, Object> input) {
        return bot.command(new ToolInvocation(
                run, ToolCallId.of("c" + calls++), AgentId.of("turtlebot-maze.sim"), "turtlebot-maze", tool, input));
    }

    private static int n(Object o) {
        return ((Number) o).intValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic-8x8", "small-4x4", "seed-42-12x9"})
    void aRightHandWallFollowerReachesTheGoal(String maze) {
        bot.place(run, maze);
        for (int step = 0; step < 2000; step++) {
            if ((Boolean) call("report_position", Map.of()).get("atGoal")) return;
            Map<String, Object> r = call("read_ranges", Map.of());
            if (n(r.get("right")) > 0) {
                call("rotate", Map.of("direction", "right"));
                assertThat(n(call("move", Map.of("cells", 1)).get("moved"))).isEqualTo(1);
            } else if (n(r.get("front")) > 0) {
                assertThat(n(call("move", Map.of("cells", 1)).get("moved"))).isEqualTo(1);
            } else {
                call("rotate", Map.of("direction", "left"));
            }
        }
        throw new AssertionError("the wall follower did not reach the goal of " + maze);
    }

    @Test
    void stopsAtAWallAndSaysSo() {
        bot.place(run, "classic-8x8");
        Map<String, Object> r = call("read_ranges", Map.of());
        int front = n(r.get("front"));
        Map<String, Object> moved = call("move", Map.of("cells", front + 1));
        assertThat(moved).containsEntry("moved", front).containsEntry("blocked", true);
    }

    @Test
    void givesEachRunItsOwnRobot() {
        bot.place(run, "small-4x4");
        call("rotate", Map.of("direction", "around"));
        Map<String, Object> other = bot.command(new ToolInvocation(
                RunId.random(), ToolCallId.of("x"), AgentId.of("a"), "app", "report_position", Map.of()));
        assertThat(other)
                .containsEntry("heading", "north")
                .containsEntry("x", 0)
                .containsEntry("y", 0);
        assertThat(call("report_position", Map.of())).containsEntry("heading", "south");
    }

    @Test
    void refusesUnknownMazes() {
        assertThatThrownBy(() -> GridMaze.named("labyrinth")).hasMessageContaining("classic-8x8");
    }
}
