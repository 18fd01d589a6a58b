package ai.auraison.execution.gateway.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads server-sent events as they arrive, keeping each event's exact bytes so a same-format stream is passed on
 * unchanged. Lines end in LF, CRLF or CR; an event ends at a blank line. Not thread-safe.
 */
final class SseReader {

    /** One event: its {@code event:} name (null when absent), its data lines joined by LF (null when none). */
    record SseEvent(String event, String data, byte[] raw) {}

    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private boolean eof;

    SseReader(InputStream in) {
        this.in = in;
    }

    /** Whether bytes already received are waiting to be read (so a flush can wait for them). */
    boolean hasBuffered() {
        return position < limit;
    }

    /** The next event, or null at the end of the stream (a partial last event is dropped). */
    SseEvent next() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream(256);
        String event = null;
        StringBuilder data = null;
        while (true) {
            int start = raw.size();
            if (!readLine(raw)) return null;
            int end = raw.size();
            byte[] all = raw.toByteArray();
            int contentEnd = end;
            while (contentEnd > start && (all[contentEnd - 1] == '\n' || all[contentEnd - 1] == '\r')) contentEnd--;
            if (contentEnd == start) {
                if (event == null && data == null && start == 0) {
                    raw.reset(); // stray blank line between events
                    continue;
                }
                return new SseEvent(event, data == null ? null : data.toString(), all);
            }
            String line = new String(all, start, contentEnd - start, StandardCharsets.UTF_8);
            if (line.startsWith("data:")) {
                String value = line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5);
                if (data == null) data = new StringBuilder(value);
                else data.append('\n').append(value);
            } else if (line.startsWith("event:")) {
                event = line.substring(line.length() > 6 && line.charAt(6) == ' ' ? 7 : 6);
            }
            // comments (":"), id: and retry: lines are kept in raw only
        }
    }

    /** Appends one line with its terminator to {@code out}; false at end of stream before any byte. */
    private boolean readLine(ByteArrayOutputStream out) throws IOException {
        boolean any = false;
        while (true) {
            if (position == limit && !fill()) return any;
            byte b = buffer[position++];
            out.write(b);
            any = true;
            if (b == '\n') return true;
            if (b == '\r') {
                if (position == limit && !fill()) return true;
                if (buffer[position] == '\n') out.write(buffer[position++]);
                return true;
            }
        }
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
