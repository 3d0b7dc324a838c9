package io.inferlab.engine.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.inferlab.engine.tensor.GgmlType;

/**
 * Writes GGUF v3 files (layout in {@link GgufFile}). Tensor data is streamed from callbacks, so
 * multi-gigabyte models never sit on the heap. The file is written to a temporary sibling and
 * moved into place, so a reader never sees a half-written model.
 */
public final class GgufWriter {

    /** Writes exactly a tensor's bytes (its type's block layout) to {@code out}. */
    @FunctionalInterface
    public interface TensorContent {
        void writeTo(OutputStream out) throws IOException;
    }

    private record PendingTensor(String name, GgmlType type, long[] shape, TensorContent content) {
        long byteSize() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return type.bytesFor(n);
        }
    }

    private record TypedValue(GgufValueType type, Object value) { }

    private final Map<String, TypedValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();
    private int alignment = GgufFile.DEFAULT_ALIGNMENT;

    public GgufWriter put(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    /** A UINT32, GGUF's usual type for counts and sizes. */
    public GgufWriter putUInt32(String key, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(key + ": " + value + " is not a uint32");
        }
        return put(key, GgufValueType.UINT32, value);
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValueType.INT32, value);
    }

    public GgufWriter putUInt64(String key, long value) {
        return put(key, GgufValueType.UINT64, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    public GgufWriter put(String key, GgufArray value) {
        return put(key, GgufValueType.ARRAY, value);
    }

    /**
     * Any value with an explicit type; the Java value follows {@link GgufMetadata}'s mapping
     * ({@link Number} for numeric types, {@link Boolean}, {@link String}, {@link GgufArray}).
     */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type of " + key);
        Objects.requireNonNull(value, "value of " + key);
        checkValue(key, type, value);
        if (GgufFile.KEY_ALIGNMENT.equals(key)) {
            // The reader's rule (GgufFile): an integer power of two up to 1 MiB.
            long a = type.isInteger() ? ((Number) value).longValue() : -1;
            if (a <= 0 || a > (1 << 20) || Long.bitCount(a) != 1) {
                throw new IllegalArgumentException(key + " must be an integer power of two up to 1 MiB, got "
                        + type + " " + value);
            }
            alignment = (int) a;
        }
        metadata.put(key, new TypedValue(type, value));
        return this;
    }

    /**
     * Rejects a value whose Java type does not match {@code type} (see {@link GgufMetadata}) or an
     * integer out of the type's range, so the error comes here instead of a bad file later.
     */
    private static void checkValue(String key, GgufValueType type, Object value) {
        boolean ok = switch (type) {
            case UINT8 -> inRange(value, 0, 0xFF);
            case INT8 -> inRange(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT16 -> inRange(value, 0, 0xFFFF);
            case INT16 -> inRange(value, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT32 -> inRange(value, 0, 0xFFFF_FFFFL);
            case INT32 -> inRange(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            // UINT64 takes a long's bits, so every long is a valid UINT64.
            case UINT64, INT64 -> inRange(value, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT32, FLOAT64 -> value instanceof Number;
            case BOOL -> value instanceof Boolean;
            case STRING -> value instanceof String;
            case ARRAY -> value instanceof GgufArray;
        };
        if (!ok) {
            throw new IllegalArgumentException(key + ": " + value.getClass().getSimpleName() + " " + value
                    + " is not a valid " + type);
        }
    }

    private static boolean inRange(Object v, long min, long max) {
        if (!(v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long)) {
            return false;
        }
        long l = ((Number) v).longValue();
        return l >= min && l <= max;
    }

    /**
     * Adds a tensor; {@code shape} is in GGML order (innermost first): 1 to 4 dimensions, each at
     * least 1, the innermost a multiple of the type's block size. Names must be unique.
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorContent content) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type of " + name);
        Objects.requireNonNull(content, "content of " + name);
        if (shape.length < 1 || shape.length > GgufFile.MAX_DIMS) {
            throw new IllegalArgumentException(name + ": a tensor has 1 to " + GgufFile.MAX_DIMS + " dimensions, got "
                    + shape.length);
        }
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(name + ": dimension " + d + " in " + Arrays.toString(shape)
                        + " (must be >= 1)");
            }
        }
        if (shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException(name + ": row length " + shape[0] + " is not a multiple of " + type
                    + "'s block size " + type.blockSize());
        }
        if (tensorNames.contains(name)) {
            throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        }
        PendingTensor t = new PendingTensor(name, type, shape.clone(), content);
        try {
            t.byteSize();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + ": " + Arrays.toString(shape) + " overflows 64 bits");
        }
        tensors.add(t);
        tensorNames.add(name);
        return this;
    }

    /** Adds a tensor whose bytes are already in memory. */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, byte[] data) {
        return addTensor(name, type, shape, out -> out.write(data));
    }

    /** Adds an F32 tensor. */
    public GgufWriter addTensor(String name, long[] shape, float[] values) {
        return addTensor(name, GgmlType.F32, shape, out -> {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            out.write(b.array());
        });
    }

    /** Writes the file atomically (temporary file, then rename). */
    public void write(Path path) {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
            try (OutputStream raw = Files.newOutputStream(tmp);
                 CountingStream out = new CountingStream(new BufferedOutputStream(raw, 1 << 20))) {
                writeTo(out);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write GGUF file " + path + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is only garbage now
                }
            }
        }
    }

    private void writeTo(CountingStream out) throws IOException {
        out.u32(GgufFile.MAGIC);
        out.u32(GgufFile.VERSION);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, TypedValue> e : metadata.entrySet()) {
            out.string(e.getKey());
            out.u32(e.getValue().type().id());
            writeValue(out, e.getValue().type(), e.getValue().value());
        }
        long offset = 0;
        for (PendingTensor t : tensors) {
            out.string(t.name());
            out.u32(t.shape().length);
            for (long d : t.shape()) {
                out.u64(d);
            }
            out.u32(t.type().id());
            out.u64(offset);
            offset = align(offset + t.byteSize());
        }
        out.pad(align(out.count()) - out.count());
        long dataStart = out.count();
        for (PendingTensor t : tensors) {
            long before = out.count();
            t.content().writeTo(out);
            long written = out.count() - before;
            if (written != t.byteSize()) {
                throw new IllegalStateException("tensor '" + t.name() + "' wrote " + written + " bytes, its "
                        + t.type() + " shape needs " + t.byteSize());
            }
            long rel = out.count() - dataStart;
            out.pad(align(rel) - rel);
        }
    }

    private long align(long v) {
        return (v + alignment - 1) / alignment * alignment;
    }

    private static void writeValue(CountingStream out, GgufValueType type, Object v) throws IOException {
        switch (type) {
            case UINT8, INT8 -> out.write(((Number) v).intValue());
            case UINT16, INT16 -> out.u16(((Number) v).intValue());
            case UINT32, INT32 -> out.u32(((Number) v).intValue());
            case UINT64, INT64 -> out.u64(((Number) v).longValue());
            case FLOAT32 -> out.u32(Float.floatToRawIntBits(((Number) v).floatValue()));
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
            case BOOL -> out.write((Boolean) v ? 1 : 0);
            case STRING -> out.string((String) v);
            case ARRAY -> writeArray(out, (GgufArray) v);
        }
    }

    private static void writeArray(CountingStream out, GgufArray a) throws IOException {
        out.u32(a.elementType().id());
        out.u64(a.length());
        Object vs = a.values();
        switch (a.elementType()) {
            case UINT8, INT8 -> out.write((byte[]) vs);
            case UINT16, INT16 -> { for (short s : (short[]) vs) out.u16(s); }
            case UINT32, INT32 -> { for (int i : (int[]) vs) out.u32(i); }
            case UINT64, INT64 -> { for (long l : (long[]) vs) out.u64(l); }
            case FLOAT32 -> { for (float f : (float[]) vs) out.u32(Float.floatToRawIntBits(f)); }
            case FLOAT64 -> { for (double d : (double[]) vs) out.u64(Double.doubleToRawLongBits(d)); }
            case BOOL -> { for (boolean b : (boolean[]) vs) out.write(b ? 1 : 0); }
            case STRING -> { for (String s : (String[]) vs) out.string(s); }
            case ARRAY -> { for (GgufArray n : (GgufArray[]) vs) writeArray(out, n); }
        }
    }

    /** Little-endian primitives over a stream that counts what it wrote. */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        private long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        long count() {
            return count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        void u16(int v) throws IOException {
            write(v & 0xFF);
            write((v >>> 8) & 0xFF);
        }

        void u32(int v) throws IOException {
            u16(v);
            u16(v >>> 16);
        }

        void u64(long v) throws IOException {
            u32((int) v);
            u32((int) (v >>> 32));
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            write(b, 0, b.length);
        }

        void pad(long n) throws IOException {
            for (long i = 0; i < n; i++) {
                write(0);
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
