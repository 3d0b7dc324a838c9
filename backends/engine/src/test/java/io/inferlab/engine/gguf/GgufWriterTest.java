package io.inferlab.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.engine.tensor.GgmlType;

/** The writer refuses to produce invalid files and writes atomically. */
class GgufWriterTest {
    @TempDir
    Path dir;

    private String[] filesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void tensorWritingTheWrongByteCountFailsAndLeavesNoFile() throws IOException {
        GgufWriter w = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {4}, new byte[15]);
        Path target = dir.resolve("bad.gguf");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.write(target));
        assertTrue(e.getMessage().contains("'t'") && e.getMessage().contains("15") && e.getMessage().contains("16"),
                e.getMessage());
        assertArrayEquals(new String[0], filesIn(dir), "neither the target nor a temporary file remains");
    }

    @Test
    void failedWriteKeepsTheExistingFile() throws IOException {
        Path target = GgufFixtures.write(dir, "m.gguf", new GgufWriter().put("general.name", "old"));
        byte[] before = Files.readAllBytes(target);
        GgufWriter bad = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {1}, out -> {
            throw new IOException("disk on fire");
        });
        assertThrows(java.io.UncheckedIOException.class, () -> bad.write(target));
        assertArrayEquals(before, Files.readAllBytes(target));
        assertArrayEquals(new String[] {"m.gguf"}, filesIn(dir));
        // A successful write replaces it.
        GgufFixtures.write(dir, "m.gguf", new GgufWriter().put("general.name", "new"));
        try (GgufFile f = GgufFile.open(target)) {
            assertEquals("new", f.metadata().getString("general.name"));
        }
        assertArrayEquals(new String[] {"m.gguf"}, filesIn(dir));
    }

    @Test
    void writesIntoMissingDirectories() {
        Path target = dir.resolve("a/b/m.gguf");
        new GgufWriter().put("general.name", "x").write(target);
        assertTrue(Files.isRegularFile(target));
    }

    @Test
    void laterPutOfAKeyReplacesTheValueInPlace() {
        GgufWriter w = new GgufWriter().put("a", "1").put("b", "2").put("a", "3");
        try (GgufFile f = GgufFile.open(GgufFixtures.write(dir, "m.gguf", w))) {
            assertEquals("3", f.metadata().getString("a"));
            assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(f.metadata().keys()));
        }
    }

    @Test
    void rejectsInvalidAlignment() {
        for (long bad : new long[] {0, 3, 48, -32, 1L << 21}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new GgufWriter().put(GgufFile.KEY_ALIGNMENT, GgufValueType.INT64, bad), "alignment " + bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().put(GgufFile.KEY_ALIGNMENT, "32"));
        assertThrows(IllegalArgumentException.class,
                () -> new GgufWriter().put(GgufFile.KEY_ALIGNMENT, GgufValueType.FLOAT32, 32f));
        new GgufWriter().putUInt32(GgufFile.KEY_ALIGNMENT, 1L << 20); // the largest allowed
    }

    @Test
    void rejectsValuesThatDoNotMatchTheirType() {
        GgufWriter w = new GgufWriter();
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.UINT8, 256));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.UINT8, -1));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.INT8, 128));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.UINT16, 65536));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.INT16, -32769));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.UINT32, -1));
        assertThrows(IllegalArgumentException.class, () -> w.putUInt32("k", 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.INT32, 1L << 31));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.INT32, 1.5));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.STRING, 1));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.BOOL, "true"));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.ARRAY, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.FLOAT32, "1"));
        assertThrows(NullPointerException.class, () -> w.put("k", (String) null));
    }

    @Test
    void rejectsInvalidTensors() {
        GgufWriter w = new GgufWriter().addTensor("t", new long[] {2}, new float[2]);
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("t", new long[] {2}, new float[2]), "duplicate");
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("u", GgmlType.F32, new long[0], new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("u", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("u", GgmlType.F32, new long[] {2, 0}, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("u", GgmlType.Q8_0, new long[] {48}, new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("u", GgmlType.F32, new long[] {1L << 32, 1L << 32}, new byte[0]));
        // Nothing rejected was added.
        try (GgufFile f = GgufFile.open(GgufFixtures.write(dir, "m.gguf", w))) {
            assertEquals(1, f.tensorInfos().size());
        }
    }

    @Test
    void streamedContentIsWrittenAsIs() {
        GgufWriter w = new GgufWriter().addTensor("t", GgmlType.F16, new long[] {3}, out -> {
            out.write(new byte[] {0x00, 0x3C}); // 1.0
            out.write(0x00);
            out.write(0xC0); // -2.0
            out.write(new byte[] {(byte) 0xFF, 0x7B}, 0, 2); // 65504
        });
        try (GgufFile f = GgufFile.open(GgufFixtures.write(dir, "m.gguf", w))) {
            assertArrayEquals(new float[] {1f, -2f, 65504f}, io.inferlab.engine.tensor.Formats.toFloats(f.tensor("t")));
        }
        assertFalse(Files.exists(dir.resolve("m.gguf.tmp")));
    }
}
