package ai.auraison.execution.sim;

import ai.auraison.contract.RunId;
import ai.auraison.execution.RobotLink;
import ai.auraison.execution.ToolInvocation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated TurtleBot in a {@link GridMaze}, standing in for ROS 2 until the ROS adapter lands: it serves the
 * maze-navigation tools ({@code read_ranges}, {@code move}, {@code rotate}, {@code report_position}). Each run drives a
 * robot of its own that starts at (0, 0) facing north, in the maze named by the run's first call (default
 * {@code classic-8x8}). Thread-safe; a run's robot is forgotten by {@link #forget}.
 */
public final class SimulatedTurtlebot implements RobotLink {

    private final String defaultMaze;
    private final Map<RunId, Robot> robots = new ConcurrentHashMap<>();

    public SimulatedTurtlebot(String defaultMaze) {
        this.defaultMaze = defaultMaze;
        GridMaze.named(defaultMaze);
    }

    /** Places the robot of {@code run} at the start of {@code maze} (the next call would do so with the default). */
    public void place(RunId run, String maze) {
        robots.put(run, new Robot(GridMaze.named(maze)));
    }

    /** Drops the robot of a finished run. */
    public void forget(RunId run) {
        robots.remove(run);
    }

    @Override
    public Map<String, Object> command(ToolInvocation invocation) {
        Robot robot = robots.computeIfAbsent(invocation.runId(), r -> new Robot(GridMaze.named(defaultMaze)));
        synchronized (robot) {
            return switch (invocation.tool()) {
                case "read_ranges" -> robot.ranges();
                case "move" -> robot.move(((Number) invocation.input().getOrDefault("cells", 1)).intValue());
                case "rotate" -> robot.rotate(String.valueOf(invocation.input().get("direction")));
                case "report_position" -> robot.position();
                default ->
                    throw new IllegalArgumentException("the simulated turtlebot has no operation " + invocation.tool());
            };
        }
    }

    private static final class Robot {
        private final GridMaze maze;
        private int x;
        private int y;
        private GridMaze.Heading heading = GridMaze.Heading.NORTH;
        private int moves;

        Robot(GridMaze maze) {
            this.maze = maze;
        }

        Map<String, Object> ranges() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("front", maze.range(x, y, heading));
            out.put("left", maze.range(x, y, heading.left()));
            out.put("right", maze.range(x, y, heading.right()));
            out.put("back", maze.range(x, y, heading.back()));
            return out;
        }

        Map<String, Object> move(int cells) {
            int moved = 0;
            while (moved < cells && maze.isOpen(x, y, heading)) {
                x += heading.dx;
                y += heading.dy;
                moved++;
            }
            moves += moved;
            return Map.of("moved", moved, "blocked", moved < cells);
        }

        Map<String, Object> rotate(String direction) {
            heading = switch (direction) {
                case "left" -> heading.left();
                case "right" -> heading.right();
                case "around" -> heading.back();
                default ->
                    throw new IllegalArgumentException("direction must be left, right or around, was " + direction);
            };
            return Map.of("heading", heading.wire());
        }

        Map<String, Object> position() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("x", x);
            out.put("y", y);
            out.put("heading", heading.wire());
            out.put("atGoal", maze.isGoal(x, y));
            out.put("moves", moves);
            return out;
        }
    }
}
