package ai.auraison.execution.gateway.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads server-sent events as they arrive, keeping each event's exact bytes so a same-format stream is passed on
 * unchanged. Lines end in LF, CRLF or CR; an event ends at a blank line. Not thread-safe.
 */
final class SseReader {

    /** One event: its {@code event:} name (null when absent), its data lines joined by LF (null when none). */
    record SseEvent(String event, String data, byte[] raw) {}

    private final InputStream in;
    private final byte[] buffer = new byte[4096];
    private int position;
    private int limit;
    private boolean eof;
    // the bytes of the event being read
    private byte[] event = new byte[512];
    private int eventLength;

    SseReader(InputStream in) {
        this.in = in;
    }

    /** Whether bytes already received are waiting to be read (so a flush can wait for them). */
    boolean hasBuffered() {
        return position < limit;
    }

    /** The next event, or null at the end of the stream (a partial last event is dropped). */
    SseEvent next() throws IOException {
        eventLength = 0;
        String name = null;
        StringBuilder data = null;
        while (true) {
            int start = eventLength;
            if (!readLine()) return null;
            int end = eventLength;
            while (end > start && (event[end - 1] == '\n' || event[end - 1] == '\r')) end--;
            if (end == start) {
                if (name == null && data == null && start == 0) {
                    eventLength = 0; // a stray blank line between events
                    continue;
                }
                return new SseEvent(name, data == null ? null : data.toString(), Arrays.copyOf(event, eventLength));
            }
            if (startsWith(start, end, "data:")) {
                int from = start + 5 + (end > start + 5 && event[start + 5] == ' ' ? 1 : 0);
                String value = new String(event, from, end - from, StandardCharsets.UTF_8);
                if (data == null) data = new StringBuilder(value);
                else data.append('\n').append(value);
            } else if (startsWith(start, end, "event:")) {
                int from = start + 6 + (end > start + 6 && event[start + 6] == ' ' ? 1 : 0);
                name = new String(event, from, end - from, StandardCharsets.UTF_8);
            }
            // comments (":"), id: and retry: lines are kept in the raw bytes only
        }
    }

    private boolean startsWith(int start, int end, String prefix) {
        if (end - start < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) if (event[start + i] != prefix.charAt(i)) return false;
        return true;
    }

    /** Appends one line with its terminator to the event; false at the end of the stream before any byte. */
    private boolean readLine() throws IOException {
        boolean any = false;
        while (true) {
            if (position == limit && !fill()) return any;
            int i = position;
            while (i < limit && buffer[i] != '\n' && buffer[i] != '\r') i++;
            if (i == limit) {
                append(position, limit - position);
                position = limit;
                any = true;
                continue;
            }
            boolean cr = buffer[i] == '\r';
            append(position, i + 1 - position);
            position = i + 1;
            if (cr) {
                if (position == limit && !fill()) return true;
                if (buffer[position] == '\n') append(position++, 1);
            }
            return true;
        }
    }

    private void append(int from, int length) {
        if (eventLength + length > event.length)
            event = Arrays.copyOf(event, Math.max(event.length * 2, eventLength + length));
        System.arraycopy(buffer, from, event, eventLength, length);
        eventLength += length;
    }

    private boolean fill() throws IOException {
        if (eof) return false;
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
