package io.inferlab.engine.gguf;

import static io.inferlab.engine.gguf.GgufFixtures.truncated;
import static io.inferlab.engine.gguf.GgufFixtures.withByte;
import static io.inferlab.engine.gguf.GgufFixtures.withU32;
import static io.inferlab.engine.gguf.GgufFixtures.withU64;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.gguf.GgufFixtures.Layout;
import io.inferlab.engine.gguf.GgufFixtures.Raw;
import io.inferlab.engine.tensor.GgmlType;

/**
 * Malformed files, each crafted from a valid one by patching bytes at offsets computed with
 * {@link Layout} (or built raw): the reader must throw {@link ModelFormatException} naming the
 * offset and the key or tensor, and never any other exception type.
 */
class GgufFileMalformedTest {
    @TempDir
    Path dir;

    private int fileNo;
    private byte[] valid;
    private Layout layout;

    /**
     * The base file: metadata of several kinds, then tensors w.a (F32 [8, 2], 64 bytes), w.b (Q8_0
     * [64, 1], 68 bytes, padded to 96) and w.c (F32 [8], 32 bytes): the last tensor ends exactly at
     * the end of the file, so any truncation cuts real data.
     */
    static GgufWriter base() {
        GgufWriter w = new GgufWriter()
                .put("general.architecture", "test")
                .putUInt32(GgufFile.KEY_ALIGNMENT, 32)
                .putBool("flag", true)
                .put("list", GgufArray.of(1, 2, 3))
                .put("bools", new GgufArray(GgufValueType.BOOL, new boolean[] {true, false}))
                .put("strs", GgufArray.of("x", "yy"))
                .put("dup.a", "first")
                .put("dup.b", "second");
        GgufFixtures.addTensor(w, "w.a", GgmlType.F32, 1, 8, 2);
        GgufFixtures.addTensor(w, "w.b", GgmlType.Q8_0, 2, 64, 1);
        GgufFixtures.addTensor(w, "w.c", GgmlType.F32, 3, 8);
        return w;
    }

    @BeforeEach
    void setUp() {
        valid = GgufFixtures.bytes(base());
        layout = Layout.of(valid);
        assertEquals(valid.length, layout.dataEnd(), "the base file must end with the last tensor's data");
    }

    private Path file(byte[] bytes) {
        return GgufFixtures.writeBytes(dir, "m" + (fileNo++) + ".gguf", bytes);
    }

    /** Opening {@code bytes} throws a ModelFormatException naming the file and containing each fragment. */
    private ModelFormatException rejects(byte[] bytes, String... fragments) {
        Path p = file(bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> {
            try (GgufFile f = GgufFile.open(p)) {
                f.metadata();
            }
        });
        assertEquals(p, e.file());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
        }
        assertTrue(e.offset() >= -1 && e.offset() <= bytes.length, e.getMessage());
        return e;
    }

    /** {@link #rejects} and the exception names {@code offset} (in {@link ModelFormatException#offset()} and the message). */
    private ModelFormatException rejectsAt(byte[] bytes, long offset, String... fragments) {
        ModelFormatException e = rejects(bytes, fragments);
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(" at offset " + offset + ":"), e.getMessage());
        return e;
    }

    @Test
    void baseFileIsValid() {
        try (GgufFile f = GgufFile.open(file(valid))) {
            assertEquals(3, f.tensorInfos().size());
            assertEquals(layout.dataOffset(), f.dataOffset());
        }
    }

    // ------------------------------------------------------------------ header

    @Test
    void badMagic() {
        rejectsAt(withByte(valid, 0, 'X'), 0, "bad magic");
        rejectsAt(withU32(valid, 0, 0x46554746), 0, "bad magic 0x46554746");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 4, -1})
    void unsupportedVersion(int version) {
        rejectsAt(withU32(valid, layout.versionAt(), version), 4,
                "unsupported GGUF version " + Integer.toUnsignedString(version));
    }

    @Test
    void emptyAndTinyFiles() {
        rejectsAt(new byte[0], 0, "truncated", "0 bytes");
        rejectsAt(truncated(valid, 3), 0, "truncated", "3 bytes");
        rejectsAt(truncated(valid, 6), 4, "truncated", "version");
        rejectsAt(truncated(valid, 12), 8, "truncated", "tensor_count");
        rejectsAt(truncated(valid, 23), 16, "truncated", "metadata_kv_count");
    }

    /** Every proper prefix of a valid file is rejected with a ModelFormatException at an offset inside the prefix. */
    @Test
    void everyTruncationPointIsRejected() {
        for (int n = 0; n < valid.length; n++) {
            byte[] prefix = truncated(valid, n);
            Path p = file(prefix);
            int len = n;
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> GgufFile.open(p).close(),
                    () -> "prefix of " + len + " bytes");
            assertTrue(e.offset() >= 0 && e.offset() <= n, () -> "prefix " + len + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("past the end")
                    || e.getMessage().contains("out of bounds") || e.getMessage().contains("exceed the file size"),
                    () -> "prefix " + len + ": " + e.getMessage());
            try {
                Files.delete(p);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }
    }

    @Test
    void trailingPaddingAfterTheLastTensorIsOptional() {
        GgufWriter w = new GgufWriter();
        GgufFixtures.addTensor(w, "t", GgmlType.F32, 1, 3); // 12 bytes, padded to 32
        byte[] bytes = GgufFixtures.bytes(w);
        Layout l = Layout.of(bytes);
        assertEquals(l.dataEnd() + 20, bytes.length);
        try (GgufFile f = GgufFile.open(file(truncated(bytes, l.dataEnd())))) {
            assertEquals(12, f.tensor("t").data().byteSize());
        }
        rejects(truncated(bytes, l.dataEnd() - 1), "tensor 't'", "out of bounds");
    }

    // ------------------------------------------------------------------ metadata

    @Test
    void keyLengthPastEndOfFile() {
        Layout.Kv kv = layout.kv("flag"); // the third key: index 2
        rejectsAt(withU64(valid, kv.keyAt(), valid.length), kv.keyAt(),
                "string length " + valid.length, "metadata key #2", "past the end");
        rejectsAt(withU64(valid, kv.keyAt(), -1L), kv.keyAt(), "string length 18446744073709551615", "metadata key #2");
        rejectsAt(withU64(valid, kv.keyAt(), 1L << 62), kv.keyAt(), "metadata key #2");
    }

    @Test
    void stringValueLengthPastEndOfFile() {
        Layout.Kv kv = layout.kv("general.architecture");
        long left = valid.length - (kv.valueAt() + 8);
        rejectsAt(withU64(valid, kv.valueAt(), left + 1), kv.valueAt(),
                "string length " + (left + 1), "value of 'general.architecture'", "past the end", left + " bytes left");
        // A string array element too.
        Layout.Kv strs = layout.kv("strs");
        long second = strs.valueAt() + 12 + 8 + 1; // after the first element "x"
        rejectsAt(withU64(valid, second, 1L << 40), second, "element of 'strs' [1]");
    }

    @Test
    void arrayLengthPastEndOfFile() {
        Layout.Kv kv = layout.kv("list"); // INT32 x 3
        long countAt = kv.valueAt() + 4;
        long left = valid.length - (countAt + 8);
        long justPast = left / 4 + 1;
        rejectsAt(withU64(valid, countAt, justPast), countAt, "array length of 'list' " + justPast, "past the end");
        rejectsAt(withU64(valid, countAt, 1L << 62), countAt, "array length of 'list' " + (1L << 62));
        rejectsAt(withU64(valid, countAt, -1L), countAt, "array length of 'list' 18446744073709551615");
        // A count that fits the file when read as 1-byte bools would still be too long for 4-byte ints.
        assertTrue(left / 4 + 1 <= left);
    }

    @Test
    void hugeCountsFailWithoutAllocating() {
        long countAt = layout.kv("list").valueAt() + 4;
        // 100 million int32s would be a 400 MB array: rejected before any allocation.
        byte[] hugeArray = withU64(valid, countAt, 100_000_000L);
        byte[] hugeTensorCount = withU64(valid, layout.tensorCountAt(), 1L << 40);
        byte[] hugeKvCount = withU64(valid, layout.kvCountAt(), 1L << 40);
        for (byte[] bytes : List.of(hugeArray, hugeTensorCount, hugeKvCount)) {
            Path p = file(bytes);
            long allocated = allocatedBytes(() -> assertThrows(ModelFormatException.class, () -> GgufFile.open(p)));
            // Opening the valid file allocates a few KB; allow generous slack for JIT and class loading.
            assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes");
        }
        rejectsAt(hugeTensorCount, 8, "tensor_count 1099511627776");
        rejectsAt(hugeKvCount, 16, "metadata_kv_count 1099511627776");
        rejectsAt(withU64(valid, layout.tensorCountAt(), -1L), 8, "tensor_count 18446744073709551615");
    }

    private static long allocatedBytes(Runnable r) {
        var bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()
                && sun.isThreadAllocatedMemoryEnabled()) {
            long before = sun.getCurrentThreadAllocatedBytes();
            r.run();
            return sun.getCurrentThreadAllocatedBytes() - before;
        }
        r.run();
        return 0; // not measurable on this JVM: the exception type was still checked
    }

    @Test
    void arraysNestedDeeperThanTheLimit() {
        GgufArray a = GgufArray.of(1);
        for (int level = 1; level <= GgufFile.MAX_ARRAY_DEPTH; level++) {
            a = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {a});
        }
        byte[] bytes = GgufFixtures.bytes(new GgufWriter().put("deep", a));
        rejects(bytes, "'deep", "nested deeper than " + GgufFile.MAX_ARRAY_DEPTH);
    }

    @Test
    void hostileNestingDoesNotOverflowTheStack() {
        Raw raw = Raw.header(3, 0, 1).key("deep", GgufValueType.ARRAY);
        for (int i = 0; i < 100_000; i++) {
            raw.u32(GgufValueType.ARRAY.id()).u64(1);
        }
        raw.u32(GgufValueType.INT32.id()).u64(0);
        rejects(raw.toBytes(), "nested deeper");
    }

    @Test
    void unknownValueType() {
        Layout.Kv kv = layout.kv("flag");
        rejectsAt(withU32(valid, kv.typeAt(), 13), kv.typeAt(), "'flag'", "unknown value type 13");
        rejectsAt(withU32(valid, kv.typeAt(), -1), kv.typeAt(), "'flag'", "unknown value type 4294967295");
        Layout.Kv list = layout.kv("list");
        rejectsAt(withU32(valid, list.valueAt(), 99), list.valueAt(), "'list'", "unknown value type 99");
    }

    @Test
    void duplicateKey() {
        Layout.Kv second = layout.kv("dup.b");
        long lastKeyByte = second.keyAt() + 8 + "dup.b".length() - 1;
        rejectsAt(withByte(valid, lastKeyByte, 'a'), second.keyAt(), "duplicate metadata key 'dup.a'");
    }

    @Test
    void boolByteNotZeroOrOne() {
        Layout.Kv kv = layout.kv("flag");
        rejectsAt(withByte(valid, kv.valueAt(), 2), kv.valueAt(), "bool", "'flag'", "is 2", "must be 0 or 1");
        rejectsAt(withByte(valid, kv.valueAt(), 0xFF), kv.valueAt(), "is 255");
        long secondBool = layout.kv("bools").valueAt() + 12 + 1;
        rejectsAt(withByte(valid, secondBool, 7), secondBool, "element of 'bools'", "is 7");
    }

    // ------------------------------------------------------------------ general.alignment

    @Test
    void alignmentOfWrongType() {
        Layout.Kv kv = layout.kv(GgufFile.KEY_ALIGNMENT);
        // FLOAT32 has the same size as UINT32, so the rest of the file still parses.
        rejects(withU32(valid, kv.typeAt(), GgufValueType.FLOAT32.id()),
                "'general.alignment'", "expected an integer, found FLOAT32");
        byte[] stringAlignment = Raw.header(3, 0, 1).key(GgufFile.KEY_ALIGNMENT, GgufValueType.STRING).string("32").toBytes();
        rejects(stringAlignment, "'general.alignment'", "found STRING");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 48, 1L << 21, 0xFFFF_FFFFL})
    void alignmentNotAPowerOfTwoUpTo1MiB(long alignment) {
        Layout.Kv kv = layout.kv(GgufFile.KEY_ALIGNMENT);
        rejects(withU32(valid, kv.valueAt(), alignment), "'general.alignment'", "power of two", "got " + alignment);
    }

    @Test
    void negativeAlignment() {
        Layout.Kv kv = layout.kv(GgufFile.KEY_ALIGNMENT);
        byte[] asInt32 = withU32(withU32(valid, kv.typeAt(), GgufValueType.INT32.id()), kv.valueAt(), -32);
        rejects(asInt32, "'general.alignment'", "got -32");
    }

    // ------------------------------------------------------------------ tensor infos

    @Test
    void tensorCountLargerThanTheTensorsPresent() {
        rejects(withU64(valid, layout.tensorCountAt(), 4));
        rejects(withU64(valid, layout.kvCountAt(), layout.kvs().size() + 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, -1})
    void dimensionCountOutOfRange(int nDims) {
        Layout.TensorEntry t = layout.tensor("w.a");
        rejectsAt(withU32(valid, t.nDimsAt(), nDims), t.nDimsAt(),
                "tensor 'w.a' has " + Integer.toUnsignedString(nDims) + " dimensions", "1 to 4");
    }

    @Test
    void dimensionZeroOrNegative() {
        Layout.TensorEntry t = layout.tensor("w.a");
        rejectsAt(withU64(valid, t.dimAt(1), 0), t.dimAt(1), "tensor 'w.a' dimension 1 is 0");
        rejectsAt(withU64(valid, t.dimAt(0), 1L << 63), t.dimAt(0), "tensor 'w.a' dimension 0 is 9223372036854775808");
    }

    @Test
    void dimensionsWhoseProductOverflows() {
        Layout.TensorEntry t = layout.tensor("w.a");
        byte[] bytes = withU64(withU64(valid, t.dimAt(0), 1L << 32), t.dimAt(1), 1L << 32);
        rejectsAt(bytes, t.dimAt(1), "tensor 'w.a'", "overflows");
        // No overflow, but far more data than the file holds.
        byte[] big = withU64(withU64(valid, t.dimAt(0), 1L << 20), t.dimAt(1), 1L << 20);
        rejectsAt(big, t.nDimsAt(), "tensor 'w.a'", "exceed the file size");
    }

    @Test
    void rowLengthNotAMultipleOfTheBlockSize() {
        Layout.TensorEntry t = layout.tensor("w.b");
        rejectsAt(withU64(valid, t.dimAt(0), 48), t.nDimsAt(),
                "tensor 'w.b'", "row length 48 is not a multiple of Q8_0's block size 32");
    }

    @Test
    void unknownTensorType() {
        Layout.TensorEntry t = layout.tensor("w.b");
        rejectsAt(withU32(valid, t.typeAt(), 12), t.typeAt(), "tensor 'w.b'", "Q4_K");
        rejectsAt(withU32(valid, t.typeAt(), 99), t.typeAt(), "tensor 'w.b'", "type id 99");
        rejectsAt(withU32(valid, t.typeAt(), -1), t.typeAt(), "tensor 'w.b'", "type id 4294967295");
    }

    @Test
    void tensorOffsetNotAligned() {
        Layout.TensorEntry t = layout.tensor("w.b");
        rejectsAt(withU64(valid, t.offsetAt(), t.offset() + 4), t.offsetAt(),
                "tensor 'w.b' offset " + (t.offset() + 4), "not a multiple of the alignment 32");
    }

    @Test
    void tensorOffsetPastEndOfFile() {
        Layout.TensorEntry t = layout.tensor("w.b");
        rejectsAt(withU64(valid, t.offsetAt(), 1L << 40), t.offsetAt(), "tensor 'w.b'", "out of bounds");
        // 2^64 - 32 is a multiple of 32: the error is about bounds, not alignment.
        rejectsAt(withU64(valid, t.offsetAt(), -32L), t.offsetAt(), "tensor 'w.b'", "18446744073709551584", "out of bounds");
    }

    @Test
    void tensorDataRunningPastEndOfFile() {
        Layout.TensorEntry t = layout.tensor("w.c");
        rejectsAt(withU64(valid, t.offsetAt(), t.offset() + 32), layout.dataOffset(),
                "tensor 'w.c' data [", "out of bounds", "file is " + valid.length + " bytes");
        rejectsAt(truncated(valid, valid.length - 1), layout.dataOffset(), "tensor 'w.c'", "out of bounds");
    }

    @Test
    void duplicateTensorName() {
        Layout.TensorEntry t = layout.tensor("w.b");
        long lastNameByte = t.nameAt() + 8 + "w.b".length() - 1;
        rejectsAt(withByte(valid, lastNameByte, 'a'), t.nameAt(), "duplicate tensor name 'w.a'");
    }

    @Test
    void tensorNameLengthPastEndOfFile() {
        Layout.TensorEntry t = layout.tensor("w.c");
        rejectsAt(withU64(valid, t.nameAt(), 1L << 50), t.nameAt(), "name of tensor #2", "past the end");
    }

    // ------------------------------------------------------------------ other

    @Test
    void fileNotFoundNamesThePath() {
        Path missing = dir.resolve("no-such-model.gguf");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> GgufFile.open(missing));
        assertEquals(missing, e.file());
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void directoryIsNotAModel() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> GgufFile.open(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    /**
     * Corrupting any single header byte to a few values gives either a file that opens or a
     * ModelFormatException, never another exception or an error.
     */
    @Test
    void singleByteCorruptionsOfTheHeaderNeverEscapeAsOtherExceptions() {
        int[] replacements = {0x00, 0xFF, 0x80, 0x7F};
        for (int at = 0; at < layout.headerEnd(); at++) {
            for (int r : replacements) {
                if ((valid[at] & 0xFF) == r) {
                    continue;
                }
                byte[] bytes = withByte(valid, at, r);
                Path p = file(bytes);
                int pos = at;
                assertDoesNotThrow(() -> {
                    try (GgufFile f = GgufFile.open(p)) {
                        f.tensorInfos().forEach(f::tensor);
                    } catch (ModelFormatException expected) {
                        assertTrue(expected.offset() <= bytes.length, expected.getMessage());
                    }
                }, () -> "byte " + pos + " set to " + r);
                try {
                    Files.delete(p);
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        }
    }
}
