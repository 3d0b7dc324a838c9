package io.inferlab.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.inferlab.api.ModelFormatException;

/** Typed getters of {@link GgufMetadata}: values, missing keys and type mismatches, all naming the key and file. */
class GgufMetadataTest {
    private static final Path FILE = Path.of("model.gguf");

    private static GgufMetadata metadata() {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, GgufValueType> types = new LinkedHashMap<>();
        put(values, types, "str", GgufValueType.STRING, "hello");
        put(values, types, "u8", GgufValueType.UINT8, (short) 200);
        put(values, types, "i8", GgufValueType.INT8, (byte) -5);
        put(values, types, "u16", GgufValueType.UINT16, 60000);
        put(values, types, "i16", GgufValueType.INT16, (short) -300);
        put(values, types, "u32", GgufValueType.UINT32, 4_000_000_000L);
        put(values, types, "u32.small", GgufValueType.UINT32, 512L);
        put(values, types, "i32", GgufValueType.INT32, -7);
        put(values, types, "u64.max", GgufValueType.UINT64, -1L);
        put(values, types, "u64.small", GgufValueType.UINT64, 42L);
        put(values, types, "i64", GgufValueType.INT64, Long.MIN_VALUE);
        put(values, types, "f32", GgufValueType.FLOAT32, 0.25f);
        put(values, types, "f64", GgufValueType.FLOAT64, 1e-6);
        put(values, types, "bool", GgufValueType.BOOL, true);
        put(values, types, "strs", GgufValueType.ARRAY, GgufArray.of("a", "b"));
        put(values, types, "floats", GgufValueType.ARRAY, GgufArray.of(1f, 2f));
        put(values, types, "ints", GgufValueType.ARRAY, GgufArray.of(3, 4));
        put(values, types, "u32s", GgufValueType.ARRAY, new GgufArray(GgufValueType.UINT32, new int[] {-1}));
        put(values, types, "bytes", GgufValueType.ARRAY, new GgufArray(GgufValueType.UINT8, new byte[] {1}));
        return new GgufMetadata(FILE, values, types);
    }

    private static void put(Map<String, Object> values, Map<String, GgufValueType> types, String key,
                            GgufValueType type, Object value) {
        values.put(key, value);
        types.put(key, type);
    }

    private static void assertError(String key, Executable call, String... fragments) {
        ModelFormatException e = assertThrows(ModelFormatException.class, call);
        assertEquals(FILE, e.file());
        assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void readsValuesOfEveryKind() {
        GgufMetadata md = metadata();
        assertEquals(FILE, md.file());
        assertEquals("hello", md.getString("str"));
        assertEquals(Optional.of("hello"), md.optString("str"));
        assertEquals(200, md.getInt("u8"));
        assertEquals(-5, md.getInt("i8"));
        assertEquals(60000, md.getInt("u16"));
        assertEquals(-300, md.getInt("i16"));
        assertEquals(4_000_000_000L, md.getLong("u32"));
        assertEquals(512, md.getInt("u32.small"));
        assertEquals(-7, md.getInt("i32"));
        assertEquals(42, md.getInt("u64.small"));
        assertEquals(Long.MIN_VALUE, md.getLong("i64"));
        assertEquals(0.25f, md.getFloat("f32"));
        assertEquals(1e-6f, md.getFloat("f64"));
        assertEquals(512f, md.getFloat("u32.small")); // integers are accepted as floats
        assertEquals(0x1p64f, md.getFloat("u64.max")); // UINT64 2^64-1 read as unsigned
        assertEquals(Optional.of(true), md.optBoolean("bool"));
        assertArrayEquals(new String[] {"a", "b"}, md.getStringArray("strs"));
        assertArrayEquals(new float[] {1f, 2f}, md.optFloatArray("floats").orElseThrow());
        assertArrayEquals(new int[] {3, 4}, md.optIntArray("ints").orElseThrow());
        assertArrayEquals(new int[] {-1}, md.optIntArray("u32s").orElseThrow());
        assertEquals(-1L, md.get("u64.max").orElseThrow()); // raw bits stay available
        assertEquals(Optional.of(GgufValueType.UINT16), md.type("u16"));
        assertTrue(md.contains("bool"));
        assertFalse(md.contains("nope"));
        assertEquals(md.keys(), md.asMap().keySet());
        assertThrows(UnsupportedOperationException.class, () -> md.asMap().put("x", 1));
    }

    @Test
    void optionalGettersAreEmptyForMissingKeys() {
        GgufMetadata md = metadata();
        assertTrue(md.optString("nope").isEmpty());
        assertTrue(md.optInt("nope").isEmpty());
        assertTrue(md.optLong("nope").isEmpty());
        assertTrue(md.optFloat("nope").isEmpty());
        assertTrue(md.optBoolean("nope").isEmpty());
        assertTrue(md.optArray("nope").isEmpty());
        assertTrue(md.optFloatArray("nope").isEmpty());
        assertTrue(md.optIntArray("nope").isEmpty());
        assertTrue(md.type("nope").isEmpty());
        assertTrue(md.get("nope").isEmpty());
    }

    @Test
    void missingRequiredKeysNameTheKey() {
        GgufMetadata md = metadata();
        assertError("llama.block_count", () -> md.getString("llama.block_count"), "missing required metadata key", "string");
        assertError("k", () -> md.getInt("k"), "missing", "integer");
        assertError("k", () -> md.getLong("k"), "missing");
        assertError("k", () -> md.getFloat("k"), "missing", "float");
        assertError("k", () -> md.getArray("k"), "missing", "array");
        assertError("k", () -> md.getStringArray("k"), "missing");
    }

    @Test
    void typeMismatchesNameTheKeyAndBothTypes() {
        GgufMetadata md = metadata();
        assertError("u8", () -> md.getString("u8"), "expected string, found UINT8");
        assertError("str", () -> md.getInt("str"), "expected an integer, found STRING");
        assertError("f32", () -> md.getLong("f32"), "expected an integer, found FLOAT32");
        assertError("bool", () -> md.getInt("bool"), "found BOOL");
        assertError("str", () -> md.getFloat("str"), "expected a number, found STRING");
        assertError("f32", () -> md.optBoolean("f32"), "expected bool, found FLOAT32");
        assertError("str", () -> md.getArray("str"), "expected array, found STRING");
        assertError("floats", () -> md.getStringArray("floats"), "expected an array of STRING, found an array of FLOAT32");
        assertError("strs", () -> md.optFloatArray("strs"), "found an array of STRING");
        assertError("bytes", () -> md.optIntArray("bytes"), "found an array of UINT8");
        assertError("ints", () -> md.getString("ints"), "found ARRAY");
    }

    @Test
    void integersOutOfRangeAreErrorsNotWrappedValues() {
        GgufMetadata md = metadata();
        assertError("u32", () -> md.getInt("u32"), "4000000000 does not fit in 32 bits");
        assertError("i64", () -> md.getInt("i64"), "does not fit in 32 bits");
        // UINT64 2^64-1 is stored as the bits of -1: neither getInt nor getLong may return -1.
        assertError("u64.max", () -> md.getInt("u64.max"), "18446744073709551615");
        assertError("u64.max", () -> md.getLong("u64.max"), "18446744073709551615");
    }

    @Test
    void invalidNamesKeyAndFile() {
        ModelFormatException e = metadata().invalid("llama.rope.dimension_count", "must be even");
        assertEquals("model.gguf: metadata key 'llama.rope.dimension_count': must be even", e.getMessage());
        assertEquals(-1, e.offset());
    }
}
