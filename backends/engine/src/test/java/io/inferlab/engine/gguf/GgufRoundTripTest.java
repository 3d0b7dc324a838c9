package io.inferlab.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;

/** Writer -> reader round trips: every metadata value type, alignments, every tensor type, 1-4 dimensions. */
class GgufRoundTripTest {
    @TempDir
    Path dir;

    private GgufFile open(GgufWriter w) {
        return GgufFile.open(GgufFixtures.write(dir, "rt.gguf", w));
    }

    /** A non-ASCII string: Latin-1 letters, CJK, a 4-byte UTF-8 emoji, and an embedded NUL. */
    static final String NON_ASCII = "h\u00e9llo w\u00f6rld \u2014 \u65e5\u672c\u8a9e \uD83E\uDD99 \u0000end";

    @Test
    void everyScalarTypeAndEdgeValueRoundTrips() {
        GgufWriter w = new GgufWriter()
                .put("u8.min", GgufValueType.UINT8, 0)
                .put("u8.max", GgufValueType.UINT8, 255)
                .put("i8.min", GgufValueType.INT8, -128)
                .put("i8.max", GgufValueType.INT8, 127)
                .put("u16.max", GgufValueType.UINT16, 0xFFFF)
                .put("i16.min", GgufValueType.INT16, -32768)
                .put("i16.max", GgufValueType.INT16, 32767)
                .putUInt32("u32.max", 0xFFFF_FFFFL)
                .putUInt32("u32.zero", 0)
                .putInt32("i32.min", Integer.MIN_VALUE)
                .putInt32("i32.max", Integer.MAX_VALUE)
                .putUInt64("u64.max", -1L) // bits of 2^64 - 1
                .put("i64.min", GgufValueType.INT64, Long.MIN_VALUE)
                .put("i64.max", GgufValueType.INT64, Long.MAX_VALUE)
                .putFloat32("f32.negzero", -0.0f)
                .putFloat32("f32.tiny", Float.MIN_VALUE)
                .putFloat32("f32.inf", Float.NEGATIVE_INFINITY)
                .putFloat32("f32.pi", (float) Math.PI)
                .put("f64.max", GgufValueType.FLOAT64, Double.MAX_VALUE)
                .put("f64.e", GgufValueType.FLOAT64, Math.E)
                .putBool("bool.true", true)
                .putBool("bool.false", false)
                .put("str.empty", "")
                .put("str.unicode", NON_ASCII)
                .put(NON_ASCII + ".key", "non-ASCII key");
        try (GgufFile f = open(w)) {
            GgufMetadata md = f.metadata();
            // Java types follow GgufMetadata's mapping: unsigned types widen to the next signed type.
            assertEquals((short) 0, md.get("u8.min").orElseThrow());
            assertEquals((short) 255, md.get("u8.max").orElseThrow());
            assertEquals((byte) -128, md.get("i8.min").orElseThrow());
            assertEquals((byte) 127, md.get("i8.max").orElseThrow());
            assertEquals(65535, md.get("u16.max").orElseThrow());
            assertEquals((short) -32768, md.get("i16.min").orElseThrow());
            assertEquals((short) 32767, md.get("i16.max").orElseThrow());
            assertEquals(4294967295L, md.get("u32.max").orElseThrow());
            assertEquals(0L, md.get("u32.zero").orElseThrow());
            assertEquals(Integer.MIN_VALUE, md.get("i32.min").orElseThrow());
            assertEquals(Integer.MAX_VALUE, md.get("i32.max").orElseThrow());
            assertEquals(-1L, md.get("u64.max").orElseThrow());
            assertEquals(Long.MIN_VALUE, md.get("i64.min").orElseThrow());
            assertEquals(Long.MAX_VALUE, md.get("i64.max").orElseThrow());
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits((Float) md.get("f32.negzero").orElseThrow()));
            assertEquals(Float.MIN_VALUE, md.get("f32.tiny").orElseThrow());
            assertEquals(Float.NEGATIVE_INFINITY, md.get("f32.inf").orElseThrow());
            assertEquals((float) Math.PI, md.getFloat("f32.pi"));
            assertEquals(Double.MAX_VALUE, md.get("f64.max").orElseThrow());
            assertEquals(Math.E, md.get("f64.e").orElseThrow());
            assertEquals(true, md.optBoolean("bool.true").orElseThrow());
            assertEquals(false, md.optBoolean("bool.false").orElseThrow());
            assertEquals("", md.getString("str.empty"));
            assertEquals(NON_ASCII, md.getString("str.unicode"));
            assertEquals("non-ASCII key", md.getString(NON_ASCII + ".key"));

            // Stored types are kept, and the typed getters read the unsigned values right.
            assertEquals(GgufValueType.UINT8, md.type("u8.max").orElseThrow());
            assertEquals(GgufValueType.UINT64, md.type("u64.max").orElseThrow());
            assertEquals(GgufValueType.FLOAT64, md.type("f64.e").orElseThrow());
            assertEquals(255, md.getInt("u8.max"));
            assertEquals(65535, md.getInt("u16.max"));
            assertEquals(4294967295L, md.getLong("u32.max"));
            assertEquals(Long.MIN_VALUE, md.getLong("i64.min"));

            // File order is kept.
            assertEquals(List.of("u8.min", "u8.max", "i8.min"), List.copyOf(md.keys()).subList(0, 3));
            assertEquals(25, md.keys().size());
            assertEquals(0, f.tensorInfos().size());
            assertEquals(GgufFile.DEFAULT_ALIGNMENT, f.alignment());
        }
    }

    @Test
    void arraysOfEveryElementTypeRoundTrip() {
        Map<String, GgufArray> arrays = new LinkedHashMap<>();
        arrays.put("a.u8", new GgufArray(GgufValueType.UINT8, new byte[] {0, 1, (byte) 255}));
        arrays.put("a.i8", new GgufArray(GgufValueType.INT8, new byte[] {-128, 0, 127}));
        arrays.put("a.u16", new GgufArray(GgufValueType.UINT16, new short[] {0, (short) 0xFFFF, 0x1234}));
        arrays.put("a.i16", new GgufArray(GgufValueType.INT16, new short[] {Short.MIN_VALUE, -1, Short.MAX_VALUE}));
        arrays.put("a.u32", new GgufArray(GgufValueType.UINT32, new int[] {0, -1, 0x12345678}));
        arrays.put("a.i32", GgufArray.of(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE));
        arrays.put("a.u64", new GgufArray(GgufValueType.UINT64, new long[] {0, -1, 1L << 63}));
        arrays.put("a.i64", new GgufArray(GgufValueType.INT64, new long[] {Long.MIN_VALUE, 42, Long.MAX_VALUE}));
        arrays.put("a.f32", GgufArray.of(1.5f, -0.0f, Float.POSITIVE_INFINITY, Float.MIN_VALUE));
        arrays.put("a.f64", new GgufArray(GgufValueType.FLOAT64, new double[] {Math.PI, -1e300, Double.MIN_VALUE}));
        arrays.put("a.bool", new GgufArray(GgufValueType.BOOL, new boolean[] {true, false, true}));
        arrays.put("a.str", GgufArray.of("", "plain", NON_ASCII));
        arrays.put("a.nested", new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                GgufArray.of("x", "y"), GgufArray.of(1, 2, 3), new GgufArray(GgufValueType.STRING, new String[0])}));
        arrays.put("a.nested2", new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                new GgufArray(GgufValueType.ARRAY, new GgufArray[] {GgufArray.of(7f), GgufArray.of(new int[0])}),
                new GgufArray(GgufValueType.ARRAY, new GgufArray[0])}));
        // An empty array of every element type.
        for (GgufValueType t : GgufValueType.values()) {
            Object empty = java.lang.reflect.Array.newInstance(GgufArray.javaArrayClass(t).componentType(), 0);
            arrays.put("empty." + t, new GgufArray(t, empty));
        }
        GgufWriter w = new GgufWriter();
        arrays.forEach(w::put);
        try (GgufFile f = open(w)) {
            GgufMetadata md = f.metadata();
            assertEquals(arrays.keySet(), md.keys());
            for (Map.Entry<String, GgufArray> e : arrays.entrySet()) {
                GgufArray read = md.getArray(e.getKey());
                assertEquals(e.getValue(), read, e.getKey()); // deep equality, element type included
                assertEquals(GgufValueType.ARRAY, md.type(e.getKey()).orElseThrow());
            }
            assertArrayEquals(new String[] {"", "plain", NON_ASCII}, md.getStringArray("a.str"));
            assertArrayEquals(new float[] {1.5f, -0.0f, Float.POSITIVE_INFINITY, Float.MIN_VALUE},
                    md.optFloatArray("a.f32").orElseThrow());
            assertArrayEquals(new int[] {0, -1, 0x12345678}, md.optIntArray("a.u32").orElseThrow());
            GgufArray[] nested = (GgufArray[]) md.getArray("a.nested2").values();
            GgufArray[] inner = (GgufArray[]) nested[0].values();
            assertArrayEquals(new float[] {7f}, (float[]) inner[0].values());
            assertEquals(0, inner[1].length());
            assertEquals(GgufValueType.INT32, inner[1].elementType());
            for (GgufValueType t : GgufValueType.values()) {
                GgufArray a = md.getArray("empty." + t);
                assertEquals(0, a.length());
                assertEquals(t, a.elementType());
            }
        }
    }

    @Test
    void arraysNestedToTheLimitRoundTrip() {
        GgufArray a = GgufArray.of(1, 2);
        for (int level = 1; level < GgufFile.MAX_ARRAY_DEPTH; level++) {
            a = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {a});
        }
        GgufArray deepest = a;
        try (GgufFile f = open(new GgufWriter().put("deep", deepest))) {
            assertEquals(deepest, f.metadata().getArray("deep"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 32, 64, 256, 4096})
    void tensorDataIsAlignedToGeneralAlignment(int alignment) {
        GgufWriter w = new GgufWriter();
        if (alignment != GgufFile.DEFAULT_ALIGNMENT) {
            w.putUInt32(GgufFile.KEY_ALIGNMENT, alignment);
        }
        w.put("general.name", "odd-length name to misalign the header");
        // Sizes that are not multiples of any alignment above 4: 5*4 = 20 bytes, 3*2 = 6 bytes, 18 bytes.
        GgufFixtures.addTensor(w, "a", GgmlType.F32, 1, 5);
        GgufFixtures.addTensor(w, "b", GgmlType.F16, 2, 3);
        GgufFixtures.addTensor(w, "c", GgmlType.Q4_0, 3, 32);
        GgufFixtures.addTensor(w, "d", GgmlType.F32, 4, 1);
        byte[] bytes = GgufFixtures.bytes(w);
        GgufFixtures.Layout layout = GgufFixtures.Layout.of(bytes);
        try (GgufFile f = open(w)) {
            assertEquals(alignment, f.alignment());
            assertEquals(0, f.dataOffset() % alignment);
            assertEquals(layout.dataOffset(), f.dataOffset());
            assertTrue(f.dataOffset() >= layout.headerEnd() && f.dataOffset() < layout.headerEnd() + alignment);
            long expected = 0;
            for (GgufTensorInfo info : f.tensorInfos()) {
                assertEquals(0, info.offset() % alignment, info.name());
                // Tensors are packed in order, each padded to the alignment.
                assertEquals(expected, info.offset(), info.name());
                expected = (info.offset() + info.byteSize() + alignment - 1) / alignment * alignment;
            }
            assertEquals(f.dataOffset() + expected, f.fileSize());
            assertEquals(20 + 6 + 18 + 4, f.tensorBytes());
        }
    }

    @Test
    void everyTensorTypeAndRankRoundTripsItsBytes() {
        record Spec(String name, GgmlType type, long[] shape) { }
        List<Spec> specs = List.of(
                new Spec("f32.1d", GgmlType.F32, new long[] {7}),
                new Spec("f16.2d", GgmlType.F16, new long[] {3, 5}),
                new Spec("bf16.3d", GgmlType.BF16, new long[] {4, 3, 2}),
                new Spec("q8_0.4d", GgmlType.Q8_0, new long[] {64, 2, 1, 3}),
                new Spec("q4_0.2d", GgmlType.Q4_0, new long[] {96, 3}),
                new Spec("mxfp4.3d", GgmlType.MXFP4, new long[] {64, 2, 4}),
                new Spec("f32.4d", GgmlType.F32, new long[] {1, 1, 1, 1}));
        GgufWriter w = new GgufWriter().put("general.architecture", "test");
        List<byte[]> contents = new ArrayList<>();
        long seed = 10;
        for (Spec s : specs) {
            int n = Math.toIntExact(GgufFixtures.elementCount(s.shape()));
            byte[] data = s.type() == GgmlType.MXFP4 ? GgufFixtures.randomMxfp4(seed++, n / 32)
                    : io.inferlab.engine.tensor.Quantizer.quantize(s.type(), GgufFixtures.randomFloats(seed++, n, 3f));
            contents.add(data);
            w.addTensor(s.name(), s.type(), s.shape(), data);
        }
        try (GgufFile f = open(w)) {
            List<GgufTensorInfo> infos = f.tensorInfos();
            assertEquals(specs.size(), infos.size());
            long total = 0;
            for (int i = 0; i < specs.size(); i++) {
                Spec s = specs.get(i);
                GgufTensorInfo info = infos.get(i);
                assertEquals(s.name(), info.name()); // file order
                assertEquals(s.type(), info.type());
                assertArrayEquals(s.shape(), info.shape());
                assertEquals(GgufFixtures.elementCount(s.shape()), info.elementCount());
                assertEquals(contents.get(i).length, info.byteSize());
                assertEquals(info, f.tensorInfo(s.name()).orElseThrow());
                Tensor t = f.tensor(s.name());
                assertEquals(s.type(), t.type());
                assertArrayEquals(s.shape(), t.shape());
                assertEquals(s.shape()[0], t.cols());
                assertArrayEquals(contents.get(i), t.data().toArray(ValueLayout.JAVA_BYTE), s.name());
                // The tensor is a view of the mapped file at data_start + offset, not a copy.
                assertEquals(-1, MemorySegment.ofArray(contents.get(i)).mismatch(t.data()));
                assertTrue(t.data().isMapped() || t.data().isNative());
                total += info.byteSize();
            }
            assertEquals(total, f.tensorBytes());
            assertTrue(f.optTensor("absent").isEmpty());
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> f.tensor("absent"));
            assertTrue(e.getMessage().contains("'absent'"), e.getMessage());
        }
    }

    @Test
    void tensorsWithTheSampleFixtureReadBack() {
        try (GgufFile f = open(GgufFixtures.sample())) {
            assertEquals("test", f.metadata().getString("general.architecture"));
            assertEquals(2, f.metadata().getInt("test.block_count"));
            assertEquals(1e-5f, f.metadata().getFloat("test.eps"));
            assertArrayEquals(new String[] {"a", "b", "c"}, f.metadata().getStringArray("test.words"));
            for (GgmlType t : GgmlType.values()) {
                Tensor tensor = f.tensor(t.name().toLowerCase(java.util.Locale.ROOT));
                assertEquals(t, tensor.type());
                assertEquals(2, tensor.rows());
                assertEquals(64, tensor.cols());
            }
        }
    }

    @Test
    void emptyFileHasOnlyTheHeader() {
        byte[] bytes = GgufFixtures.bytes(new GgufWriter());
        // magic, version 3, zero tensors, zero keys; then padding to 32 for the (empty) data section.
        assertEquals(32, bytes.length);
        assertEquals(GgufFile.MAGIC, GgufFixtures.u32(bytes, 0));
        assertEquals(3, GgufFixtures.u32(bytes, 4));
        try (GgufFile f = open(new GgufWriter())) {
            assertTrue(f.metadata().keys().isEmpty());
            assertTrue(f.tensorInfos().isEmpty());
            assertEquals(0, f.tensorBytes());
        }
        // The bare 24-byte header with no padding is also a valid file.
        Path p = GgufFixtures.writeBytes(dir, "bare.gguf", GgufFixtures.Raw.header(3, 0, 0).toBytes());
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(24, f.fileSize());
        }
    }

    @Test
    void writerOutputMatchesAHandBuiltFile() {
        GgufWriter w = new GgufWriter().putUInt32("k", 7).addTensor("t", new long[] {2}, new float[] {1f, -2f});
        byte[] expected = GgufFixtures.Raw.header(3, 1, 1)
                .key("k", GgufValueType.UINT32).u32(7)
                .tensorInfo("t", GgmlType.F32.id(), 0, 2)
                .padTo(32)
                .u32(Float.floatToIntBits(1f)).u32(Float.floatToIntBits(-2f))
                .padTo(32)
                .toBytes();
        assertArrayEquals(expected, GgufFixtures.bytes(w));
    }

    @Test
    void closeUnmapsAndIsIdempotent() {
        GgufFile f = open(GgufFixtures.sample());
        Tensor t = f.tensor("f32");
        assertEquals(t.data().get(ValueLayout.JAVA_BYTE, 0), t.data().get(ValueLayout.JAVA_BYTE, 0));
        f.close();
        f.close();
        assertInstanceOf(IllegalStateException.class, assertThrows(RuntimeException.class,
                () -> t.data().get(ValueLayout.JAVA_BYTE, 0)));
        assertFalse(f.metadata().keys().isEmpty()); // metadata stays readable: it is on the heap
    }
}
