package ai.auraison.zenoh.internal;

import ai.auraison.zenoh.ZenohId;

/** A node id plus the id of one of its entities (a queryable answering, a publisher publishing). */
public record EntityGlobalId(ZenohId zid, long eid) {}
