package ai.auraison.execution.gateway.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The caller's side of a streamed answer: writes frames as they are produced, notes when the first token went out,
 * and keeps a copy for the response cache while it stays under the size limit. A write that fails means the caller
 * went away: {@link ClientGoneException}.
 */
final class ClientStream {

    /** The caller closed the connection. */
    static final class ClientGoneException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGoneException(IOException cause) {
            super("the caller disconnected", cause);
        }
    }

    private final OutputStream out;
    private final long startNanos;
    private final long captureLimit;
    private ByteArrayOutputStream capture;
    private long firstTokenNanos = -1;
    private boolean pending;

    ClientStream(OutputStream out, long startNanos, long captureLimit) {
        this.out = out;
        this.startNanos = startNanos;
        this.captureLimit = captureLimit;
        this.capture = captureLimit > 0 ? new ByteArrayOutputStream(1024) : null;
    }

    /** Writes a frame; {@code token} marks a frame that carries model output (for time to first token). */
    void write(byte[] frame, boolean token) {
        if (token && firstTokenNanos < 0) firstTokenNanos = System.nanoTime();
        try {
            out.write(frame);
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
        pending = true;
        if (capture != null) {
            if (capture.size() + frame.length > captureLimit) capture = null;
            else capture.writeBytes(frame);
        }
    }

    /** Sends what was written so far. */
    void flush() {
        if (!pending) return;
        try {
            out.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
        pending = false;
    }

    /** Milliseconds from the call's receipt to the first token, or null when none was sent. */
    Long ttftMillis() {
        return firstTokenNanos < 0 ? null : (firstTokenNanos - startNanos) / 1_000_000;
    }

    /** Everything written, or null when it outgrew the limit (or capture was off). */
    byte[] captured() {
        return capture == null ? null : capture.toByteArray();
    }
}
