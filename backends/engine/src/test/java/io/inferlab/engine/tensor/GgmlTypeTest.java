package io.inferlab.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** GGML type ids and block layouts (ggml.h, ggml-common.h). */
class GgmlTypeTest {

    @Test
    void idsAndBlockLayoutsFollowGgml() {
        assertLayout(GgmlType.F32, 0, 1, 4);
        assertLayout(GgmlType.F16, 1, 1, 2);
        assertLayout(GgmlType.Q4_0, 2, 32, 18); // fp16 d + 16 bytes of nibbles
        assertLayout(GgmlType.Q8_0, 8, 32, 34); // fp16 d + 32 int8
        assertLayout(GgmlType.BF16, 30, 1, 2);
        assertLayout(GgmlType.MXFP4, 39, 32, 17); // E8M0 byte + 16 bytes of nibbles
        assertFalse(GgmlType.F32.isQuantized());
        assertFalse(GgmlType.BF16.isQuantized());
        assertTrue(GgmlType.Q4_0.isQuantized());
        assertTrue(GgmlType.MXFP4.isQuantized());
    }

    private static void assertLayout(GgmlType t, int id, int blockSize, int typeSize) {
        assertEquals(id, t.id(), t.name());
        assertEquals(blockSize, t.blockSize(), t.name());
        assertEquals(typeSize, t.typeSize(), t.name());
        assertEquals(Optional.of(t), GgmlType.byId(id));
    }

    @Test
    void bytesFor() {
        assertEquals(12, GgmlType.F32.bytesFor(3));
        assertEquals(6, GgmlType.F16.bytesFor(3));
        assertEquals(6, GgmlType.BF16.bytesFor(3));
        assertEquals(68, GgmlType.Q8_0.bytesFor(64));
        assertEquals(18, GgmlType.Q4_0.bytesFor(32));
        assertEquals(34, GgmlType.MXFP4.bytesFor(64));
        assertEquals(0, GgmlType.Q8_0.bytesFor(0));
        // 4096 x 128256 Q4_0 (a Llama 3 8B embedding): 16416768 blocks of 18 bytes.
        assertEquals(295_501_824L, GgmlType.Q4_0.bytesFor(4096L * 128256));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GgmlType.Q8_0.bytesFor(33));
        assertTrue(e.getMessage().contains("Q8_0") && e.getMessage().contains("32"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> GgmlType.F32.bytesFor(Long.MAX_VALUE));
    }

    @Test
    void describeNamesEveryGgmlId() {
        assertEquals("Q4_0", GgmlType.describe(2));
        assertEquals("MXFP4", GgmlType.describe(39));
        assertEquals("Q4_1", GgmlType.describe(3));
        assertEquals("Q4_K", GgmlType.describe(12));
        assertEquals("Q6_K", GgmlType.describe(14));
        assertEquals("IQ4_XS", GgmlType.describe(23));
        assertEquals("TQ2_0", GgmlType.describe(35));
        assertEquals("type id 4", GgmlType.describe(4)); // removed from GGML (Q4_2)
        assertEquals("type id 99", GgmlType.describe(99));
        assertEquals("type id 4294967295", GgmlType.describe(-1)); // a uint32 from a file
        assertTrue(GgmlType.byId(12).isEmpty());
        assertTrue(GgmlType.byId(-1).isEmpty());
    }
}
