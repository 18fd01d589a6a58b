package ai.auraison.contract;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON codec of the contract. Writes ISO-8601 instants, omits absent optional fields, and reads tolerantly:
 * unknown fields are ignored so that documents of a later minor version still read (see {@link SchemaVersions}).
 *
 * <p>Thread-safe; the mapper is shared and immutable.
 */
public final class ContractJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private static final tools.jackson.databind.ObjectWriter CANONICAL =
            MAPPER.writer().with(tools.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ContractJson() {}

    /** The shared mapper, for callers that need streaming or tree access. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Serialises {@code value} to compact JSON. */
    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Serialises {@code value} to UTF-8 JSON bytes. */
    public static byte[] writeBytes(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /** Reads {@code json} as a {@code type}; throws {@link JacksonException} (unchecked) when it does not fit. */
    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    /** Reads UTF-8 {@code json} bytes as a {@code type}. */
    public static <T> T read(byte[] json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    /** Converts a tree into a {@code type}. */
    public static <T> T convert(JsonNode tree, Class<T> type) {
        return MAPPER.treeToValue(tree, type);
    }

    /** Parses {@code json} into a tree. */
    public static JsonNode tree(String json) {
        return MAPPER.readTree(json);
    }

    /**
     * The SHA-256 of {@code value}'s canonical JSON: the codec's field order, map entries sorted by key. Two values
     * that differ only in the order of map entries hash alike; this is the idempotency fingerprint of an intent.
     */
    public static byte[] canonicalSha256(Object value) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(value));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Converts {@code value} into a tree. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
