package ai.auraison.zenoh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds the decoder seeded random bytes and mutations of the captured batches (bit flips, truncations, huge varints,
 * spliced lengths). The decoder must end every input with messages or a {@link DecodeException}, never another
 * exception, and never allocate much more than the input holds.
 */
class DecoderFuzzTest {

    private static final long SEED = 0x5EED_2E40L;
    private static final int ITERATIONS = 200_000;
    /** First iterations only warm up (class loading and string-concatenation bootstraps allocate once). */
    private static final int WARM_UP = 5_000;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void decoderSurvivesRandomAndMutatedBatchesWithBoundedAllocation() throws DecodeException {
        List<byte[]> corpus = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        for (GoldenVectors.Batch batch : GoldenVectors.all()) {
            corpus.add(batch.bytes());
            for (TransportMessage m : Codec.decodeBatch(ZReader.of(batch.bytes()))) {
                if (!(m instanceof TransportMessage.Frame frame)) continue;
                for (NetworkMessage n : frame.messages()) {
                    ZWriter w = new ZWriter();
                    Codec.encodeNetwork(w, n);
                    messages.add(w.toByteArray());
                }
            }
        }
        SplittableRandom random = new SplittableRandom(SEED);
        long threadId = Thread.currentThread().threadId();
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            boolean network = i % 3 == 0;
            List<byte[]> source = network ? messages : corpus;
            byte[] input =
                    i % 10 == 1 ? randomBytes(random) : mutate(source.get(random.nextInt(source.size())), random);
            long before = threads.getThreadAllocatedBytes(threadId);
            try {
                // a reassembled fragment is decoded as one network message, a batch as transport messages
                if (network) Codec.decodeNetwork(ZReader.of(input));
                else Codec.decodeBatch(ZReader.of(input));
                decoded++;
            } catch (DecodeException expected) {
                rejected++;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError(
                        "iteration " + i + " (seed " + SEED + ") threw " + e + " on "
                                + java.util.HexFormat.of().formatHex(input),
                        e);
            }
            long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            if (i < WARM_UP) continue;
            assertThat(allocated)
                    .as("bytes allocated decoding %d input bytes (iteration %d)", input.length, i)
                    .isLessThan(64L * input.length + 256 * 1024);
        }
        assertThat(decoded).as("some mutations still decode").isPositive();
        assertThat(rejected).as("most mutations are rejected").isPositive();
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(1, 512)];
        random.nextBytes(bytes);
        if (random.nextBoolean()) bytes[0] = (byte) (0x05 | (random.nextInt(8) << 5)); // a frame header
        return bytes;
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] bytes = original.clone();
        int mutations = random.nextInt(1, 4);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(6)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[at] = (byte) random.nextInt(256);
                case 2 -> bytes = Arrays.copyOf(bytes, at);
                case 3 -> bytes = splice(bytes, at, hugeVarint(random));
                case 4 -> bytes = splice(bytes, at, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F});
                default -> {
                    byte[] extension = {(byte) (0x80 | random.nextInt(128)), (byte) random.nextInt(256)};
                    bytes = splice(bytes, at, extension);
                }
            }
        }
        return bytes;
    }

    private static byte[] hugeVarint(SplittableRandom random) {
        byte[] varint = new byte[random.nextInt(1, 12)];
        Arrays.fill(varint, (byte) 0xFF);
        varint[varint.length - 1] = (byte) random.nextInt(256);
        return varint;
    }

    private static byte[] splice(byte[] bytes, int at, byte[] insert) {
        byte[] out = new byte[bytes.length + insert.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(bytes, at, out, at + insert.length, bytes.length - at);
        return out;
    }
}
