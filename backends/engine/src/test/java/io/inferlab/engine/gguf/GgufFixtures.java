package io.inferlab.engine.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;

/**
 * Test helpers for GGUF files: small valid files built with {@link GgufWriter}, deterministic
 * tensor contents, byte patching at computed offsets ({@link Layout} maps where every header field
 * of a valid file lies), and a raw little-endian builder ({@link Raw}) for files the writer
 * refuses to produce. Shared with other modules' tests through the engine's test jar.
 */
public final class GgufFixtures {
    private GgufFixtures() {
    }

    // ------------------------------------------------------------------ writing files

    /** Writes {@code w} to {@code dir/name} and returns the path. */
    public static Path write(Path dir, String name, GgufWriter w) {
        Path p = dir.resolve(name);
        w.write(p);
        return p;
    }

    /** A file configured by {@code config} on a fresh writer, written to {@code dir/name}. */
    public static Path write(Path dir, String name, Consumer<GgufWriter> config) {
        GgufWriter w = new GgufWriter();
        config.accept(w);
        return write(dir, name, w);
    }

    /** The exact bytes {@code w} writes (through a temporary file, deleted afterwards). */
    public static byte[] bytes(GgufWriter w) {
        try {
            Path dir = Files.createTempDirectory("gguf-fixture");
            Path p = dir.resolve("f.gguf");
            try {
                w.write(p);
                return Files.readAllBytes(p);
            } finally {
                Files.deleteIfExists(p);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes raw bytes to {@code dir/name}. */
    public static Path writeBytes(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A small valid file: a few metadata values (architecture "test", a UINT32, a FLOAT32, a
     * string array) and one 2-row tensor of every {@link GgmlType}, named after the type in lower
     * case ("f32", "q8_0", ...), 64 values per row.
     */
    public static GgufWriter sample() {
        GgufWriter w = new GgufWriter()
                .put("general.architecture", "test")
                .putUInt32("test.block_count", 2)
                .putFloat32("test.eps", 1e-5f)
                .put("test.words", GgufArray.of("a", "b", "c"));
        long seed = 1;
        for (GgmlType t : GgmlType.values()) {
            addTensor(w, t.name().toLowerCase(java.util.Locale.ROOT), t, seed++, 64, 2);
        }
        return w;
    }

    /**
     * Adds a tensor of deterministic pseudo-random values (uniform in [-1, 1)) in {@code type}'s
     * layout; MXFP4 gets random blocks with exponents near 2^0.
     */
    public static GgufWriter addTensor(GgufWriter w, String name, GgmlType type, long seed, long... shape) {
        int n = Math.toIntExact(elementCount(shape));
        return w.addTensor(name, type, shape, type == GgmlType.MXFP4
                ? randomMxfp4(seed, n / 32)
                : Quantizer.quantize(type, randomFloats(seed, n, 1f)));
    }

    /** Adds a tensor holding {@code values} quantized to {@code type} with {@link Quantizer}. */
    public static GgufWriter addQuantized(GgufWriter w, String name, GgmlType type, float[] values, long... shape) {
        if (elementCount(shape) != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + java.util.Arrays.toString(shape));
        }
        return w.addTensor(name, type, shape, Quantizer.quantize(type, values));
    }

    /** {@code n} pseudo-random floats uniform in [-scale, scale), fixed by {@code seed}. */
    public static float[] randomFloats(long seed, int n, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return x;
    }

    /** {@code blocks} MXFP4 blocks: E8M0 exponent in [124, 130] (scale 2^-3 .. 2^3), random nibbles. */
    public static byte[] randomMxfp4(long seed, int blocks) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[blocks * GgmlType.MXFP4.typeSize()];
        for (int k = 0; k < blocks; k++) {
            int o = k * GgmlType.MXFP4.typeSize();
            b[o] = (byte) (124 + r.nextInt(7));
            for (int j = 1; j <= 16; j++) {
                b[o + j] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    public static long elementCount(long... shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    // ------------------------------------------------------------------ patching bytes

    /** A copy of {@code file} with the little-endian uint32 at {@code at} replaced. */
    public static byte[] withU32(byte[] file, long at, long value) {
        byte[] c = file.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(Math.toIntExact(at), (int) value);
        return c;
    }

    /** A copy of {@code file} with the little-endian uint64 at {@code at} replaced. */
    public static byte[] withU64(byte[] file, long at, long value) {
        byte[] c = file.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(Math.toIntExact(at), value);
        return c;
    }

    /** A copy of {@code file} with the byte at {@code at} replaced. */
    public static byte[] withByte(byte[] file, long at, int value) {
        byte[] c = file.clone();
        c[Math.toIntExact(at)] = (byte) value;
        return c;
    }

    /** The first {@code length} bytes of {@code file}. */
    public static byte[] truncated(byte[] file, long length) {
        return java.util.Arrays.copyOf(file, Math.toIntExact(length));
    }

    public static int u32(byte[] file, long at) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(Math.toIntExact(at));
    }

    public static long u64(byte[] file, long at) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(Math.toIntExact(at));
    }

    // ------------------------------------------------------------------ raw builder

    /** Builds GGUF bytes field by field (little-endian), for files the writer will not produce. */
    public static final class Raw {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** Magic "GGUF", {@code version}, tensor count, metadata count. */
        public static Raw header(int version, long tensorCount, long kvCount) {
            return new Raw().u32(GgufFile.MAGIC).u32(version).u64(tensorCount).u64(kvCount);
        }

        public Raw u8(int v) {
            out.write(v);
            return this;
        }

        public Raw u16(int v) {
            return u8(v & 0xFF).u8((v >>> 8) & 0xFF);
        }

        public Raw u32(long v) {
            return u16((int) v).u16((int) (v >>> 16));
        }

        public Raw u64(long v) {
            return u32(v & 0xFFFF_FFFFL).u32(v >>> 32);
        }

        public Raw bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        /** A gguf_string: uint64 length, then UTF-8 bytes. */
        public Raw string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u64(b.length).bytes(b);
        }

        /** A metadata entry's key and type id; the value follows with the other methods. */
        public Raw key(String key, GgufValueType type) {
            return string(key).u32(type.id());
        }

        /** A tensor info: name, n_dims, dims, type id, offset. */
        public Raw tensorInfo(String name, int typeId, long offset, long... shape) {
            string(name).u32(shape.length);
            for (long d : shape) {
                u64(d);
            }
            return u32(typeId).u64(offset);
        }

        /** Zero bytes up to the next multiple of {@code alignment}. */
        public Raw padTo(int alignment) {
            while (out.size() % alignment != 0) {
                out.write(0);
            }
            return this;
        }

        public int size() {
            return out.size();
        }

        public byte[] toBytes() {
            return out.toByteArray();
        }
    }

    // ------------------------------------------------------------------ layout of a valid file

    /**
     * Where each header field of a valid GGUF file lies, found by an independent walk of the bytes
     * (not {@link GgufFile}), so tests can patch fields at computed offsets.
     */
    public record Layout(long versionAt, long tensorCountAt, long kvCountAt, Map<String, Kv> kvs,
                         Map<String, TensorEntry> tensors, long headerEnd, int alignment, long dataOffset) {

        /**
         * One metadata entry: where its key (the uint64 length), type id and value start, and
         * where the entry ends. For arrays the value starts with the element type (uint32), then
         * the count (uint64) at {@code valueAt + 4}, then the elements at {@code valueAt + 12}.
         */
        public record Kv(String key, GgufValueType type, long keyAt, long typeAt, long valueAt, long end) {
        }

        /** One tensor info: offsets of its name (uint64 length), n_dims, each dimension, type id and data offset. */
        public record TensorEntry(String name, long nameAt, long nDimsAt, long[] dimAt, long typeAt, long offsetAt,
                                  long[] shape, int typeId, long offset, long end) {
            public long dimAt(int d) {
                return dimAt[d];
            }
        }

        public Kv kv(String key) {
            Kv kv = kvs.get(key);
            if (kv == null) {
                throw new NoSuchElementException("no metadata key '" + key + "'");
            }
            return kv;
        }

        public TensorEntry tensor(String name) {
            TensorEntry t = tensors.get(name);
            if (t == null) {
                throw new NoSuchElementException("no tensor '" + name + "'");
            }
            return t;
        }

        public List<TensorEntry> tensorList() {
            return new ArrayList<>(tensors.values());
        }

        /** Absolute offset just past the last tensor's data (the file may have padding after it). */
        public long dataEnd() {
            long end = dataOffset;
            for (TensorEntry t : tensors.values()) {
                long bytes = GgmlType.byId(t.typeId()).orElseThrow().bytesFor(elementCount(t.shape()));
                end = Math.max(end, dataOffset + t.offset() + bytes);
            }
            return end;
        }

        public static Layout of(byte[] file) {
            Walker w = new Walker(file);
            if (w.u32() != GgufFile.MAGIC) {
                throw new IllegalArgumentException("not a GGUF file");
            }
            long versionAt = w.pos;
            w.u32();
            long tensorCountAt = w.pos;
            long nTensors = w.u64();
            long kvCountAt = w.pos;
            long nKv = w.u64();
            Map<String, Kv> kvs = new LinkedHashMap<>();
            int alignment = GgufFile.DEFAULT_ALIGNMENT;
            for (long i = 0; i < nKv; i++) {
                long keyAt = w.pos;
                String key = w.string();
                long typeAt = w.pos;
                GgufValueType type = GgufValueType.byId(w.u32());
                long valueAt = w.pos;
                if (key.equals(GgufFile.KEY_ALIGNMENT) && type.isInteger()) {
                    alignment = (int) (type.size() == 8 ? w.file.getLong(w.pos) : w.file.getInt(w.pos));
                }
                w.skipValue(type);
                kvs.put(key, new Kv(key, type, keyAt, typeAt, valueAt, w.pos));
            }
            Map<String, TensorEntry> tensors = new LinkedHashMap<>();
            for (long i = 0; i < nTensors; i++) {
                long nameAt = w.pos;
                String name = w.string();
                long nDimsAt = w.pos;
                int nDims = w.u32();
                long[] dimAt = new long[nDims];
                long[] shape = new long[nDims];
                for (int d = 0; d < nDims; d++) {
                    dimAt[d] = w.pos;
                    shape[d] = w.u64();
                }
                long typeAt = w.pos;
                int typeId = w.u32();
                long offsetAt = w.pos;
                long offset = w.u64();
                tensors.put(name, new TensorEntry(name, nameAt, nDimsAt, dimAt, typeAt, offsetAt, shape, typeId, offset, w.pos));
            }
            long headerEnd = w.pos;
            long dataOffset = (headerEnd + alignment - 1) / alignment * alignment;
            return new Layout(versionAt, tensorCountAt, kvCountAt, kvs, tensors, headerEnd, alignment, dataOffset);
        }

        private static final class Walker {
            final ByteBuffer file;
            int pos;

            Walker(byte[] bytes) {
                file = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            }

            int u32() {
                int v = file.getInt(pos);
                pos += 4;
                return v;
            }

            long u64() {
                long v = file.getLong(pos);
                pos += 8;
                return v;
            }

            String string() {
                int n = Math.toIntExact(u64());
                String s = new String(file.array(), pos, n, StandardCharsets.UTF_8);
                pos += n;
                return s;
            }

            void skipValue(GgufValueType t) {
                switch (t) {
                    case STRING -> string();
                    case ARRAY -> {
                        GgufValueType et = GgufValueType.byId(u32());
                        long n = u64();
                        for (long i = 0; i < n; i++) {
                            skipValue(et);
                        }
                    }
                    default -> pos += t.size();
                }
            }
        }
    }
}
