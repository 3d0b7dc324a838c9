package io.inferlab.engine.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;

/**
 * A GGUF v3 file, memory-mapped (or read into native memory) and validated as it is read. Layout (llama.cpp's gguf.h, all
 * little-endian):
 * <pre>
 *   uint32 magic "GGUF" | uint32 version (3) | uint64 tensor_count | uint64 metadata_kv_count
 *   metadata_kv_count x { gguf_string key | uint32 value_type | value }
 *   tensor_count x { gguf_string name | uint32 n_dims (&lt;= 4) | uint64 ne[n_dims] | uint32 ggml_type | uint64 offset }
 *   padding to general.alignment (default 32)
 *   tensor data; each tensor at data_start + offset, offset a multiple of the alignment
 *   gguf_string = uint64 byte length, then UTF-8 bytes
 * </pre>
 * Every length and count is checked against the bytes left in the file before anything is
 * allocated, so a hostile file cannot make the reader allocate more than the file's size allows.
 * Closing unmaps the file; tensors obtained from it must not be used afterwards.
 */
public final class GgufFile implements AutoCloseable {
    public static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
    public static final int VERSION = 3;
    public static final int DEFAULT_ALIGNMENT = 32;
    public static final String KEY_ALIGNMENT = "general.alignment";
    /** GGML_MAX_DIMS. */
    public static final int MAX_DIMS = 4;
    /** Nesting bound for arrays of arrays: deeper files are rejected instead of recursing without end. */
    static final int MAX_ARRAY_DEPTH = 8;

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final GgufMetadata metadata;
    private final Map<String, GgufTensorInfo> tensorInfos;
    private final long dataOffset;
    private final int alignment;

    private GgufFile(Path path, Arena arena, MemorySegment file, GgufMetadata metadata,
                     Map<String, GgufTensorInfo> tensorInfos, long dataOffset, int alignment) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        this.metadata = metadata;
        this.tensorInfos = tensorInfos;
        this.dataOffset = dataOffset;
        this.alignment = alignment;
    }

    /**
     * Maps and parses {@code path}.
     *
     * @throws ModelFormatException naming the offset or key at fault when the file is malformed,
     *                              or when it cannot be read
     */
    public static GgufFile open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            try {
                return new Parser(path, seg).parse(arena);
            } catch (InternalError e) {
                // Truncated by another process between map() and the parse reading the header.
                if (isMappedAccessFault(e)) {
                    throw changedOnDisk(path, seg.byteSize(), e);
                }
                throw e;
            }
        } catch (NoSuchFileException e) {
            arena.close();
            throw new ModelFormatException(path, "file not found");
        } catch (IOException e) {
            arena.close();
            throw new ModelFormatException(path, "cannot read: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Parses a GGUF image that is already in memory (a heap segment, or a mapping the caller owns
     * and keeps alive). Closing the result frees nothing. Fuzz tests use this to parse from bytes
     * without a file per input.
     *
     * @param source names the image in errors
     * @throws ModelFormatException naming the offset or key at fault when the image is malformed
     */
    public static GgufFile read(Path source, MemorySegment image) {
        return new Parser(source, image).parse(null);
    }

    public Path path() {
        return path;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** Tensor infos in file order. */
    public List<GgufTensorInfo> tensorInfos() {
        return List.copyOf(tensorInfos.values());
    }

    public Optional<GgufTensorInfo> tensorInfo(String name) {
        return Optional.ofNullable(tensorInfos.get(name));
    }

    /** Absolute file offset where the data section starts. */
    public long dataOffset() {
        return dataOffset;
    }

    public int alignment() {
        return alignment;
    }

    public long fileSize() {
        return file.byteSize();
    }

    /** The named tensor over the mapped file (no copy). */
    public Tensor tensor(String name) {
        GgufTensorInfo info = tensorInfo(name)
                .orElseThrow(() -> new ModelFormatException(path, "missing tensor '" + name + "'"));
        return tensor(info);
    }

    public Optional<Tensor> optTensor(String name) {
        return tensorInfo(name).map(this::tensor);
    }

    public Tensor tensor(GgufTensorInfo info) {
        return new Tensor(info.name(), info.type(), info.shape(), file.asSlice(dataOffset + info.offset(), info.byteSize()));
    }

    /**
     * True for the error the JVM raises when code touches a mapped page past the end of a file
     * that was truncated on disk while mapped: the kernel sends SIGBUS and HotSpot turns it into
     * {@code java.lang.InternalError: a fault occurred in an unsafe memory access operation}
     * (possibly a few instructions later in compiled code). No other InternalError matches.
     */
    public static boolean isMappedAccessFault(Throwable t) {
        return t instanceof InternalError && t.getMessage() != null && t.getMessage().contains("unsafe memory access");
    }

    /** The typed error for a {@linkplain #isMappedAccessFault mapped-access fault} on this file. */
    public ModelFormatException changedOnDisk(Throwable fault) {
        return changedOnDisk(path, file.byteSize(), fault);
    }

    private static ModelFormatException changedOnDisk(Path path, long mappedBytes, Throwable fault) {
        String now;
        try {
            now = java.nio.file.Files.size(path) + " bytes";
        } catch (IOException | RuntimeException e) {
            now = "unreadable (" + e.getMessage() + ")";
        }
        ModelFormatException e = new ModelFormatException(path, "the file changed on disk while it was in use"
                + " (mapped " + mappedBytes + " bytes, now " + now + "): reading its data faulted");
        e.initCause(fault);
        return e;
    }

    /**
     * Runs {@code body}, which reads this file's mapped data, turning a mapped-access fault (the
     * file was truncated while mapped) into {@link ModelFormatException} naming the file.
     */
    public <T> T guard(java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (InternalError e) {
            if (isMappedAccessFault(e)) {
                throw changedOnDisk(e);
            }
            throw e;
        }
    }

    /** Bytes of all tensor data. */
    public long tensorBytes() {
        return tensorInfos.values().stream().mapToLong(GgufTensorInfo::byteSize).sum();
    }

    @Override
    public void close() {
        if (arena != null && arena.scope().isAlive()) {
            arena.close();
        }
    }

    /** A bounds-checked little-endian reader over the mapped file. */
    private static final class Parser {
        private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

        private final Path path;
        private final MemorySegment seg;
        private final long size;
        private long pos;

        Parser(Path path, MemorySegment seg) {
            this.path = path;
            this.seg = seg;
            this.size = seg.byteSize();
        }

        GgufFile parse(Arena arena) {
            if (size < 4) {
                throw error(0, "truncated header: file is " + size + " bytes, too short for the GGUF magic");
            }
            int magic = seg.get(U32, 0);
            if (magic != MAGIC) {
                throw error(0, "bad magic 0x%08x: not a GGUF file (expected \"GGUF\")".formatted(magic));
            }
            pos = 4;
            int version = u32("version");
            if (version != VERSION) {
                throw error(4, "unsupported GGUF version " + Integer.toUnsignedString(version) + " (InferLab reads version 3)");
            }
            long tensorCount = u64("tensor_count");
            long kvCount = u64("metadata_kv_count");
            // Each KV takes at least 8 (key length) + 4 (type) + 1 bytes; each tensor info at least 8 + 4 + 4 + 8.
            checkCount(16, "metadata_kv_count", kvCount, 13);
            checkCount(8, "tensor_count", tensorCount, 24);

            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, GgufValueType> types = new HashMap<>();
            for (long i = 0; i < kvCount; i++) {
                long keyAt = pos;
                String key = string("metadata key #" + i);
                if (values.containsKey(key)) {
                    throw error(keyAt, "duplicate metadata key '" + key + "'");
                }
                long typeAt = pos;
                GgufValueType type = valueType(u32("type of '" + key + "'"), typeAt, key);
                values.put(key, value(type, key, 0));
                types.put(key, type);
            }
            GgufMetadata metadata = new GgufMetadata(path, values, types);
            int alignment = alignment(metadata);

            Map<String, GgufTensorInfo> infos = new LinkedHashMap<>();
            for (long i = 0; i < tensorCount; i++) {
                long infoAt = pos;
                GgufTensorInfo info = tensorInfo(i, alignment);
                if (infos.putIfAbsent(info.name(), info) != null) {
                    throw error(infoAt, "duplicate tensor name '" + info.name() + "'");
                }
            }
            long dataOffset = alignUp(pos, alignment);
            if (dataOffset > size && tensorCount > 0) {
                throw error(pos, "truncated file: data section would start at " + dataOffset + " past the end (" + size + " bytes)");
            }
            for (GgufTensorInfo info : infos.values()) {
                long start = dataOffset + info.offset();
                long end = start + info.byteSize();
                if (start < dataOffset || end < start || end > size) {
                    throw error(dataOffset, "tensor '" + info.name() + "' data [" + start + ", " + end
                            + ") is out of bounds: file is " + size + " bytes");
                }
            }
            return new GgufFile(path, arena, seg, metadata, Collections.unmodifiableMap(infos), dataOffset, alignment);
        }

        private int alignment(GgufMetadata md) {
            if (!md.contains(KEY_ALIGNMENT)) {
                return DEFAULT_ALIGNMENT;
            }
            long a = md.getLong(KEY_ALIGNMENT);
            if (a <= 0 || a > (1 << 20) || Long.bitCount(a) != 1) {
                throw md.invalid(KEY_ALIGNMENT, "must be a power of two up to 1 MiB, got " + a);
            }
            return (int) a;
        }

        private GgufTensorInfo tensorInfo(long index, int alignment) {
            String name = string("name of tensor #" + index);
            long dimsAt = pos;
            int nDims = u32("n_dims of tensor '" + name + "'");
            if (nDims < 1 || nDims > MAX_DIMS) {
                throw error(dimsAt, "tensor '" + name + "' has " + Integer.toUnsignedString(nDims)
                        + " dimensions (1 to " + MAX_DIMS + " allowed)");
            }
            long[] shape = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++) {
                long at = pos;
                long ne = u64("dimension " + d + " of tensor '" + name + "'");
                if (ne <= 0) {
                    throw error(at, "tensor '" + name + "' dimension " + d + " is " + Long.toUnsignedString(ne) + " (must be >= 1)");
                }
                shape[d] = ne;
                if (ne > Long.MAX_VALUE / elements) {
                    throw error(at, "tensor '" + name + "' has absurd dimensions: element count overflows 64 bits");
                }
                elements *= ne;
            }
            long typeAt = pos;
            int typeId = u32("type of tensor '" + name + "'");
            GgmlType type = GgmlType.byId(typeId).orElseThrow(() -> error(typeAt,
                    "tensor '" + name + "' has unsupported tensor type " + GgmlType.describe(typeId)
                            + " (InferLab reads F32, F16, BF16, Q8_0, Q4_0, MXFP4)"));
            if (shape[0] % type.blockSize() != 0) {
                throw error(dimsAt, "tensor '" + name + "': row length " + shape[0] + " is not a multiple of "
                        + type + "'s block size " + type.blockSize());
            }
            long bytes = elements / type.blockSize();
            if (bytes > size / type.typeSize()) {
                throw error(dimsAt, "tensor '" + name + "' has absurd dimensions: " + elements + " elements of "
                        + type + " exceed the file size " + size);
            }
            long offsetAt = pos;
            long offset = u64("offset of tensor '" + name + "'");
            // Bounds first: an offset of 2^63 or more is negative as a long and would otherwise be
            // reported as misaligned although it is a multiple of the alignment.
            if (offset < 0 || offset > size) {
                throw error(offsetAt, "tensor '" + name + "' data offset " + Long.toUnsignedString(offset)
                        + " is out of bounds: file is " + size + " bytes");
            }
            if (offset % alignment != 0) {
                throw error(offsetAt, "tensor '" + name + "' offset " + offset
                        + " is not a multiple of the alignment " + alignment);
            }
            return new GgufTensorInfo(name, shape, type, offset);
        }

        private Object value(GgufValueType type, String key, int depth) {
            Supplier<String> what = () -> "value of '" + key + "'";
            return switch (type) {
                case UINT8 -> (short) Byte.toUnsignedInt(u8(what));
                case INT8 -> u8(what);
                case UINT16 -> Short.toUnsignedInt(u16(what));
                case INT16 -> u16(what);
                case UINT32 -> Integer.toUnsignedLong(u32(what));
                case INT32 -> u32(what);
                case FLOAT32 -> Float.intBitsToFloat(u32(what));
                case BOOL -> bool(what);
                case STRING -> string(what);
                case UINT64, INT64 -> u64(what);
                case FLOAT64 -> Double.longBitsToDouble(u64(what));
                case ARRAY -> array(new ArrayName(key, null, 0), depth);
            };
        }

        /**
         * Names an array (or an array nested in one) in error messages: {@code key[3][0]}. Built
         * into a string only when an error is thrown; building the name eagerly for every element
         * made the reader allocate key length x element count bytes (fuzzing finding, see
         * docs/fuzzing.md), hundreds of megabytes for a 54 KB file.
         */
        private record ArrayName(String key, ArrayName parent, long index) {
            @Override
            public String toString() {
                return parent == null ? key : parent + "[" + index + "]";
            }
        }

        private GgufArray array(ArrayName key, int depth) {
            if (depth >= MAX_ARRAY_DEPTH) {
                throw error(pos, "metadata key '" + key + "': arrays nested deeper than " + MAX_ARRAY_DEPTH);
            }
            long typeAt = pos;
            GgufValueType et = valueType(u32(() -> "array element type of '" + key + "'"), typeAt, key);
            long countAt = pos;
            long count = u64(() -> "array length of '" + key + "'");
            checkCount(countAt, () -> "array length of '" + key + "'", count, et.minSize());
            int n = (int) count;
            Supplier<String> what = () -> "element of '" + key + "'";
            Object values = switch (et) {
                case UINT8, INT8 -> {
                    byte[] a = new byte[n];
                    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, a, 0, n);
                    pos += n;
                    yield a;
                }
                case UINT16, INT16 -> {
                    short[] a = new short[n];
                    MemorySegment.copy(seg, U16, pos, a, 0, n);
                    pos += 2L * n;
                    yield a;
                }
                case UINT32, INT32 -> {
                    int[] a = new int[n];
                    MemorySegment.copy(seg, U32, pos, a, 0, n);
                    pos += 4L * n;
                    yield a;
                }
                case FLOAT32 -> {
                    float[] a = new float[n];
                    MemorySegment.copy(seg, F32, pos, a, 0, n);
                    pos += 4L * n;
                    yield a;
                }
                case UINT64, INT64 -> {
                    long[] a = new long[n];
                    MemorySegment.copy(seg, U64, pos, a, 0, n);
                    pos += 8L * n;
                    yield a;
                }
                case FLOAT64 -> {
                    double[] a = new double[n];
                    MemorySegment.copy(seg, F64, pos, a, 0, n);
                    pos += 8L * n;
                    yield a;
                }
                case BOOL -> {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = bool(what);
                    }
                    yield a;
                }
                case STRING -> {
                    String[] a = new String[n];
                    for (int i = 0; i < n; i++) {
                        int index = i;
                        a[i] = string(() -> "element of '" + key + "' [" + index + "]");
                    }
                    yield a;
                }
                case ARRAY -> {
                    GgufArray[] a = new GgufArray[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = array(new ArrayName(null, key, i), depth + 1);
                    }
                    yield a;
                }
            };
            return new GgufArray(et, values);
        }

        private GgufValueType valueType(int id, long at, Object key) {
            GgufValueType t = GgufValueType.byId(id);
            if (t == null) {
                throw error(at, "metadata key '" + key + "' has unknown value type " + Integer.toUnsignedString(id));
            }
            return t;
        }

        /** Rejects counts whose elements cannot fit in the rest of the file (and counts past int range). */
        private void checkCount(long at, String what, long count, int minElementBytes) {
            checkCount(at, () -> what, count, minElementBytes);
        }

        private void checkCount(long at, Supplier<String> what, long count, int minElementBytes) {
            long left = size - pos;
            if (count < 0 || count > Integer.MAX_VALUE - 8 || count * minElementBytes > left) {
                throw error(at, what.get() + " " + Long.toUnsignedString(count) + " is past the end of the file ("
                        + left + " bytes left)");
            }
        }

        private String string(String what) {
            return string(() -> what);
        }

        private String string(Supplier<String> what) {
            long at = pos;
            long len = u64(() -> "length of " + what.get());
            if (len < 0 || len > size - pos) {
                throw error(at, "string length " + Long.toUnsignedString(len) + " of " + what.get()
                        + " is past the end of the file (" + (size - pos) + " bytes left)");
            }
            byte[] bytes = new byte[(int) Math.min(len, Integer.MAX_VALUE - 8)];
            if (bytes.length != len) {
                throw error(at, "string length " + len + " of " + what.get() + " is absurd");
            }
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, bytes, 0, bytes.length);
            pos += len;
            // Malformed UTF-8 becomes U+FFFD: vocabularies hold byte-level pieces that are not valid
            // UTF-8 on their own; keep them readable rather than rejecting the model.
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private byte u8(Supplier<String> what) {
            need(1, what);
            return seg.get(ValueLayout.JAVA_BYTE, pos++);
        }

        private boolean bool(Supplier<String> what) {
            long at = pos;
            byte b = u8(what);
            if (b != 0 && b != 1) {
                throw error(at, "bool " + what.get() + " is " + Byte.toUnsignedInt(b) + " (must be 0 or 1)");
            }
            return b == 1;
        }

        private short u16(Supplier<String> what) {
            need(2, what);
            short v = seg.get(U16, pos);
            pos += 2;
            return v;
        }

        private int u32(String what) {
            return u32(() -> what);
        }

        private int u32(Supplier<String> what) {
            need(4, what);
            int v = seg.get(U32, pos);
            pos += 4;
            return v;
        }

        private long u64(String what) {
            return u64(() -> what);
        }

        private long u64(Supplier<String> what) {
            need(8, what);
            long v = seg.get(U64, pos);
            pos += 8;
            return v;
        }

        /** {@code what} is only rendered for the error: see {@link ArrayName}. */
        private void need(int n, Supplier<String> what) {
            if (size - pos < n) {
                throw error(pos, "truncated file: " + what.get() + " needs " + n + " bytes, " + (size - pos) + " left");
            }
        }

        private ModelFormatException error(long at, String problem) {
            return new ModelFormatException(path, at, problem);
        }

        static long alignUp(long v, int alignment) {
            return (v + alignment - 1) / alignment * alignment;
        }
    }
}
