package ai.auraison.contract;

/**
 * One way a JSON document breaks its schema: {@code pointer} is the RFC 6901 JSON Pointer of the offending field
 * ({@code ""} for the document itself), {@code message} says what is wrong with it.
 */
public record Violation(String pointer, String message) {}
