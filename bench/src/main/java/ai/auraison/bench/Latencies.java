package ai.auraison.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, with percentiles. Not thread-safe: one per thread, merged at the end. */
public final class Latencies {

    private long[] samples = new long[1 << 16];
    private int size;

    public void add(long nanos) {
        if (size == samples.length) samples = Arrays.copyOf(samples, size * 2);
        samples[size++] = nanos;
    }

    public int count() {
        return size;
    }

    public static Latencies merge(Iterable<Latencies> parts) {
        Latencies all = new Latencies();
        for (Latencies p : parts) {
            for (int i = 0; i < p.size; i++) all.add(p.samples[i]);
        }
        Arrays.sort(all.samples, 0, all.size);
        return all;
    }

    /** The q-quantile (0..1) in milliseconds; requires a merged (sorted) instance. */
    public double millis(double q) {
        if (size == 0) return Double.NaN;
        int index = (int) Math.min(size - 1, Math.max(0, Math.ceil(q * size) - 1));
        return samples[index] / 1_000_000.0;
    }

    public String summary() {
        return String.format(
                "n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms",
                size, millis(0.5), millis(0.9), millis(0.99), millis(1.0));
    }
}
