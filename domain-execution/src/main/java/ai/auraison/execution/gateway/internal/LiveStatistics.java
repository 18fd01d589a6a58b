package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.spi.ModelSelectionPolicy.Stats;

/**
 * Exponentially weighted statistics of one deployment's recent calls: latency, time to first token and error rate.
 * Thread-safe.
 */
final class LiveStatistics {

    private static final double ALPHA = 0.2;

    private long samples;
    private double latencyMs;
    private double ttftMs;
    private long ttftSamples;
    private double errorRate;

    synchronized void success(long latencyMs, Long ttftMs) {
        this.latencyMs = samples == 0 ? latencyMs : this.latencyMs + ALPHA * (latencyMs - this.latencyMs);
        if (ttftMs != null) {
            this.ttftMs = ttftSamples == 0 ? ttftMs : this.ttftMs + ALPHA * (ttftMs - this.ttftMs);
            ttftSamples++;
        }
        errorRate = samples == 0 ? 0 : errorRate * (1 - ALPHA);
        samples++;
    }

    synchronized void failure() {
        errorRate = samples == 0 ? 1 : errorRate + ALPHA * (1 - errorRate);
        samples++;
    }

    synchronized Stats snapshot() {
        return new Stats(samples, latencyMs, ttftMs, errorRate);
    }
}
