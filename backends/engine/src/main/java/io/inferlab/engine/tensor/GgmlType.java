package io.inferlab.engine.tensor;

import java.util.Map;
import java.util.Optional;

/**
 * GGML tensor types InferLab reads, with GGML's ids and block layouts (ggml.h, ggml-common.h).
 * A block holds {@link #blockSize()} consecutive values of a row in {@link #typeSize()} bytes.
 */
public enum GgmlType {
    /** 32-bit IEEE float. */
    F32(0, 1, 4),
    /** 16-bit IEEE half. */
    F16(1, 1, 2),
    /** block_q4_0: fp16 scale d, then 16 bytes; value j is (low nibble of byte j) - 8 and value
     *  j+16 is (high nibble of byte j) - 8, each times d. */
    Q4_0(2, 32, 2 + 16),
    /** block_q8_0: fp16 scale d, then 32 int8 values q; value = q * d. */
    Q8_0(8, 32, 2 + 32),
    /** bfloat16: the upper 16 bits of an IEEE float. */
    BF16(30, 1, 2),
    /** block_mxfp4 (OCP microscaling): one E8M0 exponent byte, then 16 bytes of E2M1 nibbles;
     *  value j in the low nibble of byte j, value j+16 in the high nibble. */
    MXFP4(39, 32, 1 + 16);

    /** GGML's names of the type ids we do not read, so errors can name what the file holds. */
    private static final Map<Integer, String> OTHER_GGML_NAMES = Map.ofEntries(
            Map.entry(3, "Q4_1"), Map.entry(6, "Q5_0"), Map.entry(7, "Q5_1"), Map.entry(9, "Q8_1"),
            Map.entry(10, "Q2_K"), Map.entry(11, "Q3_K"), Map.entry(12, "Q4_K"), Map.entry(13, "Q5_K"),
            Map.entry(14, "Q6_K"), Map.entry(15, "Q8_K"), Map.entry(16, "IQ2_XXS"), Map.entry(17, "IQ2_XS"),
            Map.entry(18, "IQ3_XXS"), Map.entry(19, "IQ1_S"), Map.entry(20, "IQ4_NL"), Map.entry(21, "IQ3_S"),
            Map.entry(22, "IQ2_S"), Map.entry(23, "IQ4_XS"), Map.entry(24, "I8"), Map.entry(25, "I16"),
            Map.entry(26, "I32"), Map.entry(27, "I64"), Map.entry(28, "F64"), Map.entry(29, "IQ1_M"),
            Map.entry(34, "TQ1_0"), Map.entry(35, "TQ2_0"));

    private final int id;
    private final int blockSize;
    private final int typeSize;

    GgmlType(int id, int blockSize, int typeSize) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
    }

    /** GGML's numeric type id as stored in GGUF tensor infos. */
    public int id() {
        return id;
    }

    /** Values per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int typeSize() {
        return typeSize;
    }

    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** Bytes of {@code values} consecutive values; {@code values} must be a multiple of the block size. */
    public long bytesFor(long values) {
        if (values % blockSize != 0) {
            throw new IllegalArgumentException(values + " values is not a multiple of " + name() + "'s block size " + blockSize);
        }
        return Math.multiplyExact(values / blockSize, (long) typeSize);
    }

    public static Optional<GgmlType> byId(int id) {
        for (GgmlType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** A readable name for any GGML type id: ours, GGML's other names, or "type id N" (N read as a uint32). */
    public static String describe(int id) {
        return byId(id).map(Enum::name)
                .orElseGet(() -> OTHER_GGML_NAMES.getOrDefault(id, "type id " + Integer.toUnsignedString(id)));
    }
}
