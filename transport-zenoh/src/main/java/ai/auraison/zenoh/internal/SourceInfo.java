package ai.auraison.zenoh.internal;

/** Where a sample or query came from: the source entity and its sequence number. */
public record SourceInfo(EntityGlobalId source, long sn) {}
