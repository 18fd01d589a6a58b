package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayException;
import java.nio.charset.StandardCharsets;

/**
 * Relays one upstream stream to the caller event by event, in the caller's format, while collecting usage, the
 * served model and whether the stream ended properly. One instance per call; not thread-safe.
 */
abstract class StreamRelay {

    protected final ClientStream out;
    protected Usage usage = Usage.NONE;
    protected String servedModel;
    protected boolean completed;
    protected String upstreamError;

    StreamRelay(ClientStream out) {
        this.out = out;
    }

    /** Handles one upstream event. */
    abstract void onEvent(SseReader.SseEvent event);

    /** Whether the upstream stream ended with its proper final frame. */
    boolean completed() {
        return completed;
    }

    /** The error message an upstream error event carried, or null. */
    String upstreamError() {
        return upstreamError;
    }

    Usage usage() {
        return usage;
    }

    String servedModel() {
        return servedModel;
    }

    /** Called once after the upstream ended properly: writes whatever closing frames the caller's format needs. */
    void finish() {}

    /** Ends the caller's stream with an error event in its format (the upstream broke or went silent). */
    abstract void fail(GatewayException.Kind kind, String message);

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
