package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.ModelCallRecord;
import ai.auraison.execution.gateway.spi.ModelCallSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At the edge: appends every call served locally while the central gateway was unreachable (a {@code degraded}
 * record) to a JSON-lines file, forced to disk per line, for reconciliation with central later. Thread-safe.
 */
final class ReconciliationLog implements ModelCallSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationLog.class);

    private final Path file;
    private final FileChannel channel;

    ReconciliationLog(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot open the gateway reconciliation log " + file + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    @Override
    public void accept(ModelCallRecord record) {
        if (!record.degraded()) return;
        byte[] line = (GatewayJson.MAPPER.writeValueAsString(record) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                channel.write(ByteBuffer.wrap(line));
                channel.force(false);
            } catch (IOException e) {
                log.error(
                        "cannot append call {} to the reconciliation log {}: {}", record.callId(), file, e.toString());
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
