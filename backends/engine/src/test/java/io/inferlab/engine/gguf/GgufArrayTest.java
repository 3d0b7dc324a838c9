package io.inferlab.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link GgufArray} and {@link GgufValueType}: Java array classes, equality, ids from gguf.h. */
class GgufArrayTest {

    @Test
    void valuesMustMatchTheElementType() {
        assertThrows(IllegalArgumentException.class, () -> new GgufArray(GgufValueType.INT32, new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new GgufArray(GgufValueType.UINT64, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new GgufArray(GgufValueType.STRING, new Object[] {"a"}));
        assertThrows(IllegalArgumentException.class, () -> new GgufArray(GgufValueType.ARRAY, new String[0]));
        assertThrows(NullPointerException.class, () -> new GgufArray(GgufValueType.INT8, null));
        assertEquals(3, new GgufArray(GgufValueType.UINT8, new byte[3]).length());
        assertEquals(GgufValueType.FLOAT32, GgufArray.of(1f).elementType());
        assertEquals(GgufValueType.INT32, GgufArray.of(1).elementType());
        assertEquals(GgufValueType.STRING, GgufArray.of("s").elementType());
    }

    @Test
    void equalityIsDeepAndIncludesTheElementType() {
        assertEquals(GgufArray.of(1, 2), GgufArray.of(1, 2));
        assertEquals(GgufArray.of(1, 2).hashCode(), GgufArray.of(1, 2).hashCode());
        assertNotEquals(GgufArray.of(1, 2), GgufArray.of(1, 3));
        assertNotEquals(GgufArray.of(1, 2), new GgufArray(GgufValueType.UINT32, new int[] {1, 2}));
        GgufArray n1 = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {GgufArray.of("a")});
        GgufArray n2 = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {GgufArray.of("a")});
        assertEquals(n1, n2);
        assertEquals("GgufArray[STRING x 2]", GgufArray.of("a", "b").toString());
    }

    @Test
    void valueTypeIdsAndSizesFollowGgufH() {
        // enum gguf_type in gguf.h
        String[] names = {"UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32", "BOOL", "STRING", "ARRAY",
                "UINT64", "INT64", "FLOAT64"};
        int[] sizes = {1, 1, 2, 2, 4, 4, 4, 1, -1, -1, 8, 8, 8};
        for (int id = 0; id < names.length; id++) {
            GgufValueType t = GgufValueType.byId(id);
            assertEquals(names[id], t.name());
            assertEquals(id, t.id());
            assertEquals(sizes[id], t.size());
        }
        assertNull(GgufValueType.byId(13));
        assertNull(GgufValueType.byId(-1));
        assertEquals(8, GgufValueType.STRING.minSize());
        assertEquals(12, GgufValueType.ARRAY.minSize());
        assertEquals(1, GgufValueType.BOOL.minSize());
    }
}
