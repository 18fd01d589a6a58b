package ai.auraison.zenoh;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The encoding of a payload: a numeric id from Zenoh's predefined table plus an optional schema string, exactly as it
 * travels on the wire. {@link #toString()} gives the MIME-like form (for instance {@code text/plain;utf8}).
 *
 * @param id the predefined encoding id (0 {@code zenoh/bytes} is the default), or {@link #CUSTOM_ID}
 * @param schema the schema suffix, or {@code null}
 */
public record Encoding(int id, String schema) {

    /** The id Zenoh gives an encoding whose name is not in the predefined table; the name travels as the schema. */
    public static final int CUSTOM_ID = 0xFFFF;

    private static final String[] NAMES = {
        "zenoh/bytes",
        "zenoh/string",
        "zenoh/serialized",
        "application/octet-stream",
        "text/plain",
        "application/json",
        "text/json",
        "application/cdr",
        "application/cbor",
        "application/yaml",
        "text/yaml",
        "text/json5",
        "application/python-serialized-object",
        "application/protobuf",
        "application/java-serialized-object",
        "application/openmetrics-text",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/bmp",
        "image/webp",
        "application/xml",
        "application/x-www-form-urlencoded",
        "text/html",
        "text/xml",
        "text/css",
        "text/javascript",
        "text/markdown",
        "text/csv",
        "application/sql",
        "application/coap-payload",
        "application/json-patch+json",
        "application/json-seq",
        "application/jsonpath",
        "application/jwt",
        "application/mp4",
        "application/soap+xml",
        "application/yang",
        "audio/aac",
        "audio/flac",
        "audio/mp4",
        "audio/ogg",
        "audio/vorbis",
        "video/h261",
        "video/h263",
        "video/h264",
        "video/h265",
        "video/h266",
        "video/mp4",
        "video/ogg",
        "video/raw",
        "video/vp8",
        "video/vp9"
    };
    private static final Map<String, Integer> IDS = new HashMap<>();

    static {
        for (int i = 0; i < NAMES.length; i++) IDS.put(NAMES[i], i);
    }

    public static final Encoding ZENOH_BYTES = new Encoding(0, null);
    public static final Encoding ZENOH_STRING = new Encoding(1, null);
    public static final Encoding ZENOH_SERIALIZED = new Encoding(2, null);
    public static final Encoding APPLICATION_OCTET_STREAM = new Encoding(3, null);
    public static final Encoding TEXT_PLAIN = new Encoding(4, null);
    public static final Encoding APPLICATION_JSON = new Encoding(5, null);
    public static final Encoding TEXT_JSON = new Encoding(6, null);
    public static final Encoding APPLICATION_CDR = new Encoding(7, null);
    public static final Encoding APPLICATION_CBOR = new Encoding(8, null);
    public static final Encoding APPLICATION_PROTOBUF = new Encoding(13, null);
    public static final Encoding IMAGE_PNG = new Encoding(16, null);
    public static final Encoding IMAGE_JPEG = new Encoding(17, null);

    public Encoding {
        if (id < 0 || id > 0xFFFF) throw new IllegalArgumentException("encoding id out of range: " + id);
    }

    /** Parses the MIME-like form: a known name, optionally followed by {@code ;schema}, or any custom string. */
    public static Encoding parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) return ZENOH_BYTES;
        int sep = text.indexOf(';');
        String name = sep < 0 ? text : text.substring(0, sep);
        Integer id = IDS.get(name);
        if (id == null) return new Encoding(CUSTOM_ID, text);
        String schema = sep < 0 || sep == text.length() - 1 ? null : text.substring(sep + 1);
        return new Encoding(id, schema);
    }

    /** This encoding with {@code schema}. */
    public Encoding withSchema(String schema) {
        return new Encoding(id, schema);
    }

    /** Whether this is the default encoding ({@code zenoh/bytes} without schema), which is omitted on the wire. */
    public boolean isDefault() {
        return id == 0 && schema == null;
    }

    @Override
    public String toString() {
        if (id == CUSTOM_ID && schema != null) return schema;
        String name = id < NAMES.length ? NAMES[id] : "unknown(" + id + ")";
        return schema == null ? name : name + ";" + schema;
    }
}
