package io.inferlab.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.fuzz.AllocationBound;
import io.inferlab.engine.fuzz.TypedFailure;
import io.inferlab.engine.tensor.Tensor;

/**
 * Coverage-guided fuzzing of the GGUF reader: header, metadata of every value type, nested
 * arrays, tensor infos and each tensor's data bounds. Every input must load or fail with
 * {@link ModelFormatException}, within a heap allocation bound linear in its size.
 * <p>
 * Parses from a heap segment (no file per input) so one core runs thousands of inputs a second.
 * Under plain {@code mvn test} this replays the stored inputs (seeds written by
 * {@link GgufFuzzSeeds} plus every finding) from
 * {@code src/test/resources/io/inferlab/engine/gguf/GgufFileFuzzTestInputs/read/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (scripts/fuzz.sh).
 */
public class GgufFileFuzzTest {
    static final Path SOURCE = Path.of("fuzz-input.gguf");
    /**
     * A parsed value costs more heap than its encoding (object headers, a String per 8-byte
     * empty string); 64 bytes per input byte leaves room for that and still fails a reader whose
     * allocation grows faster than the file.
     */
    static final AllocationBound BOUND = new AllocationBound(64, 1 << 20);

    /** Entry point for Jazzer's standalone driver (scripts/fuzz.sh runs campaigns through it). */
    public static void fuzzerTestOneInput(byte[] data) {
        new GgufFileFuzzTest().read(data);
    }

    // Per-input time bound in regression mode (fuzzing uses libFuzzer's -timeout); @FuzzTest must come last.
    @Timeout(10)
    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) {
        BOUND.enforce("GgufFile.read", data.length, () -> TypedFailure.expect(() -> {
            try (GgufFile f = GgufFile.read(SOURCE, MemorySegment.ofArray(data))) {
                touch(f);
            }
        }, ModelFormatException.class));
    }

    /** Reads what a model loader reads: every metadata value and the first and last byte of every tensor. */
    static void touch(GgufFile f) {
        GgufMetadata md = f.metadata();
        for (String key : md.keys()) {
            GgufValueType type = md.type(key).orElseThrow();
            Object v = md.get(key).orElseThrow();
            if (type == GgufValueType.ARRAY) {
                ((GgufArray) v).length();
            }
        }
        for (GgufTensorInfo info : f.tensorInfos()) {
            Tensor t = f.tensor(info);
            long n = t.data().byteSize();
            assertEquals(info.byteSize(), n, "slice size of " + info.name());
            t.data().get(ValueLayout.JAVA_BYTE, 0);
            t.data().get(ValueLayout.JAVA_BYTE, n - 1);
        }
        f.tensorBytes();
    }
}
