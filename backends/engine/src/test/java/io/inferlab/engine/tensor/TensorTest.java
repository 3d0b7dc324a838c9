package io.inferlab.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

/** {@link Tensor}: validation of shape against data, rows and columns in GGML order. */
class TensorTest {

    @Test
    void rowsAndColumnsInGgmlOrder() {
        Tensor t = new Tensor("w", GgmlType.Q8_0, new long[] {64, 3, 2}, MemorySegment.ofArray(new byte[68 * 6]));
        assertEquals(64, t.cols());
        assertEquals(6, t.rows());
        assertEquals(384, t.elementCount());
        assertEquals(68, t.rowBytes());
        long[] shape = t.shape();
        shape[0] = 1;
        assertArrayEquals(new long[] {64, 3, 2}, t.shape(), "shape is copied");
        assertEquals("Tensor[w, Q8_0, [64, 3, 2]]", t.toString());
    }

    @Test
    void shapeCopiedOnConstruction() {
        long[] shape = {4};
        Tensor t = new Tensor("v", GgmlType.F32, shape, MemorySegment.ofArray(new byte[16]));
        shape[0] = 8;
        assertArrayEquals(new long[] {4}, t.shape());
    }

    @Test
    void rejectsDataOfTheWrongSizeAndBadShapes() {
        MemorySegment s = MemorySegment.ofArray(new byte[16]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Tensor("v", GgmlType.F32, new long[] {5}, s));
        assertTrue(e.getMessage().contains("v") && e.getMessage().contains("20") && e.getMessage().contains("16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tensor("v", GgmlType.F32, new long[0], s));
        assertThrows(IllegalArgumentException.class, () -> new Tensor("v", GgmlType.F32, new long[] {1, 1, 1, 1, 4}, s));
        assertThrows(IllegalArgumentException.class, () -> new Tensor("v", GgmlType.Q4_0, new long[] {16}, s));
        assertThrows(NullPointerException.class, () -> new Tensor("v", null, new long[] {4}, s));
    }

    @Test
    void equalityComparesNameTypeShapeAndData() {
        MemorySegment s = MemorySegment.ofArray(new byte[16]);
        assertEquals(new Tensor("v", GgmlType.F32, new long[] {4}, s), new Tensor("v", GgmlType.F32, new long[] {4}, s));
        assertNotEquals(new Tensor("v", GgmlType.F32, new long[] {4}, s), new Tensor("v", GgmlType.F32, new long[] {2, 2}, s));
        assertNotEquals(new Tensor("v", GgmlType.F32, new long[] {4}, s), new Tensor("u", GgmlType.F32, new long[] {4}, s));
        assertEquals(16, Tensor.elementCount(new long[] {2, 2, 4}));
    }
}
