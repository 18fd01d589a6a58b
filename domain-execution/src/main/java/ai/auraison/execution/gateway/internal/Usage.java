package ai.auraison.execution.gateway.internal;

import tools.jackson.databind.JsonNode;

/** Token counts of one answer, as the provider reported them. */
record Usage(long in, long out) {

    static final Usage NONE = new Usage(0, 0);

    /** OpenAI {@code usage}; {@code otherwise} when absent. */
    static Usage ofOpenAi(JsonNode usage, Usage otherwise) {
        if (usage == null || !usage.isObject()) return otherwise;
        return new Usage(
                usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0));
    }

    /** Anthropic {@code usage}: input counts cache reads and writes too; {@code otherwise} fills absent fields. */
    static Usage ofAnthropic(JsonNode usage, Usage otherwise) {
        if (usage == null || !usage.isObject()) return otherwise;
        long in = usage.has("input_tokens")
                ? usage.path("input_tokens").asLong(0)
                        + usage.path("cache_read_input_tokens").asLong(0)
                        + usage.path("cache_creation_input_tokens").asLong(0)
                : otherwise.in();
        long out = usage.has("output_tokens") ? usage.path("output_tokens").asLong(0) : otherwise.out();
        return new Usage(in, out);
    }
}
