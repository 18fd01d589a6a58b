package ai.auraison.execution.gateway.internal;

import java.io.InputStream;

/** A provider's response once its headers arrived: status, headers, and the body as it arrives. */
interface UpstreamResponse {

    int status();

    /** The first value of header {@code name} (any case), or null. */
    String header(String name);

    /** The body; closing it before its end aborts the request. */
    InputStream body();
}
