package ai.auraison.edge.internal.pi;

import ai.auraison.contract.ContractJson;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code pi --mode rpc} child process and its JSON-lines protocol (see the Pi RPC reference): commands with
 * request ids on stdin, one record per line on stdout (split on byte 0x0A only), diagnostics on stderr (drained, never
 * parsed). Responses complete the request that carries their id, out of order if need be; every other record goes
 * to the current event listener. A request that gets no response within its timeout, or whose process exits, fails.
 *
 * <p>Backpressure: records are handed to the listener on the reader thread; a listener that blocks stops the reader,
 * and Pi then stalls on its full stdout pipe. Stdin is never closed while a run is active (Pi would kill the run).
 */
final class PiRpcProcess implements AutoCloseable {

    /** How a Pi process is launched. */
    record Launch(List<String> command, Map<String, String> environment, Path workingDirectory, String name) {}

    /** A command Pi answered with {@code success: false}. */
    static final class CommandFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandFailed(String command, String error) {
            super("pi refused " + command + ": " + error);
        }
    }

    /** The process exited; pending requests fail with this. */
    static final class ProcessExited extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProcessExited(String message) {
            super(message);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(PiRpcProcess.class);
    private static final int STDERR_LINES = 60;

    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** The record a listener gets when the process has exited. */
    static final JsonNode EXITED = ai.auraison.contract.ContractJson.tree("{\"type\":\"__exited\"}");

    private volatile Consumer<JsonNode> listener = record -> {};

    private PiRpcProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
    }

    static PiRpcProcess start(Launch launch) throws IOException {
        Files.createDirectories(launch.workingDirectory());
        ProcessBuilder builder = new ProcessBuilder(launch.command())
                .directory(launch.workingDirectory().toFile());
        builder.environment().putAll(launch.environment());
        PiRpcProcess pi = new PiRpcProcess(launch.name(), builder.start());
        Thread.ofPlatform().daemon().name("pi-out-" + launch.name()).start(pi::readStdout);
        Thread.ofPlatform().daemon().name("pi-err-" + launch.name()).start(pi::drainStderr);
        pi.process.onExit().thenAccept(p -> pi.exited(p.exitValue()));
        return pi;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit code when the process ends. */
    CompletableFuture<Integer> exit() {
        return exit;
    }

    /** Where records other than responses go (events, UI requests). */
    void listen(Consumer<JsonNode> records) {
        this.listener = records == null ? record -> {} : records;
        // a process that is already gone says so to its new listener at once
        if (records != null && exit.isDone()) records.accept(EXITED);
    }

    /**
     * Sends command {@code type} with {@code fields}; completes with the response's {@code data} (a missing node when
     * Pi returns none), or fails with {@link CommandFailed}, {@link ProcessExited} or a timeout.
     */
    CompletableFuture<JsonNode> request(String type, Map<String, ?> fields, Duration timeout) {
        String id = name + "-" + ids.incrementAndGet();
        ObjectNode command = ContractJson.mapper().createObjectNode();
        command.put("id", id);
        command.put("type", type);
        if (fields != null) fields.forEach((k, v) -> command.set(k, ContractJson.tree(v)));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        if (!process.isAlive()) {
            pending.remove(id);
            return CompletableFuture.failedFuture(new ProcessExited("pi " + name + " is not running"));
        }
        try {
            write(command);
        } catch (IOException e) {
            pending.remove(id);
            return CompletableFuture.failedFuture(new ProcessExited("pi " + name + " stdin closed: " + e.getMessage()));
        }
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> pending.remove(id));
    }

    /** Sends a record that gets no response (an extension UI answer). */
    void send(ObjectNode record) throws IOException {
        write(record);
    }

    private void write(ObjectNode record) throws IOException {
        byte[] line = ContractJson.mapper().writeValueAsBytes(record);
        synchronized (stdin) {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        }
    }

    /** Resident memory of the process in bytes (Linux), or -1. */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The last lines Pi wrote to stderr. */
    String stderrTail() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    private void readStdout() {
        try (InputStream in = new BufferedInputStream(process.getInputStream(), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
            int b;
            while ((b = in.read()) != -1) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                byte[] bytes = line.toByteArray();
                line.reset();
                if (bytes.length == 0) continue;
                dispatch(bytes);
            }
        } catch (IOException e) {
            log.debug("pi {} stdout closed: {}", name, e.getMessage());
        }
    }

    private void dispatch(byte[] bytes) {
        JsonNode record;
        try {
            record = ContractJson.mapper().readTree(bytes);
        } catch (RuntimeException e) {
            log.warn(
                    "pi {} wrote a line that is not JSON; ignored: {}",
                    name,
                    new String(bytes, StandardCharsets.UTF_8));
            return;
        }
        if ("response".equals(record.path("type").asString(""))) {
            String id = record.path("id").asString(null);
            CompletableFuture<JsonNode> waiting = id == null ? null : pending.get(id);
            if (waiting == null) {
                log.warn("pi {} answered a request nobody waits for: {}", name, record);
                return;
            }
            if (record.path("success").asBoolean(false)) {
                waiting.complete(record.path("data"));
            } else {
                waiting.completeExceptionally(new CommandFailed(
                        record.path("command").asString("?"),
                        record.path("error").asString("no reason given")));
            }
            return;
        }
        try {
            listener.accept(record);
        } catch (RuntimeException e) {
            log.warn(
                    "pi {} event listener failed on {}: {}",
                    name,
                    record.path("type").asString(""),
                    e.toString());
        }
    }

    private void drainStderr() {
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    while (stderrTail.size() > STDERR_LINES) stderrTail.removeFirst();
                }
                log.debug("pi {} stderr: {}", name, line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private void exited(int code) {
        ProcessExited reason = new ProcessExited("pi " + name + " exited with code " + code
                + (stderrTail().isBlank()
                        ? ""
                        : "; stderr: "
                                + stderrTail().lines().reduce((a, b) -> b).orElse("")));
        pending.values().forEach(f -> f.completeExceptionally(reason));
        exit.complete(code);
        // the run on this process (if any) learns it from the record stream it already reads
        listener.accept(EXITED);
    }

    /** Stops the process: stdin closed first (Pi exits cleanly when idle), then SIGTERM, then SIGKILL. */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        try {
            stdin.close();
            if (process.waitFor(2, TimeUnit.SECONDS)) return;
            process.destroy();
            if (process.waitFor(3, TimeUnit.SECONDS)) return;
        } catch (IOException e) {
            // already closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    /** Kills the process at once (a hung or misbehaving Pi). */
    void kill() {
        process.destroyForcibly();
    }
}
