package io.inferlab.engine.model.synthetic;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.inferlab.engine.gguf.GgufValueType;
import io.inferlab.engine.gguf.GgufWriter;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;

/**
 * The contents of a synthetic GGUF file before it is written: metadata in order and tensor
 * specifications whose values are drawn from a seeded random stream when written (or given
 * explicitly). Editable, so tests can break a file on purpose (drop a key or a tensor, change a
 * value) and planners can size a file without writing it.
 */
public final class SyntheticTensors {

    /** A metadata value with its GGUF type (Java values as {@link GgufWriter#put(String, GgufValueType, Object)}). */
    public record Value(GgufValueType type, Object value) {
    }

    /**
     * A tensor of uniform random values with standard deviation {@code sd} around {@code center},
     * from {@code SplittableRandom(seed)}, or exactly {@code values} when given.
     *
     * @param dims GGML order (innermost first)
     */
    public record Spec(String name, GgmlType type, long[] dims, double sd, double center, long seed, float[] values) {
        public long elements() {
            return Arrays.stream(dims).reduce(1, Math::multiplyExact);
        }

        public long bytes() {
            return type.bytesFor(elements());
        }
    }

    private final Map<String, Value> metadata = new LinkedHashMap<>();
    private final Map<String, Spec> tensors = new LinkedHashMap<>();

    public SyntheticTensors put(String key, GgufValueType type, Object value) {
        metadata.put(key, new Value(type, value));
        return this;
    }

    public SyntheticTensors remove(String key) {
        metadata.remove(key);
        return this;
    }

    public Map<String, Value> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** A random tensor: matrices (2+ dims) get sd {@code gain / sqrt(cols)}, vectors sd {@code gain}. */
    public SyntheticTensors random(String name, GgmlType type, double gain, double center, long seed, long... dims) {
        double sd = dims.length > 1 ? gain / Math.sqrt(dims[0]) : gain;
        tensors.put(name, new Spec(name, type, dims.clone(), sd, center, seed, null));
        return this;
    }

    /** Writes {@code name} with exactly these values (quantized to its type) instead of random ones. */
    public SyntheticTensors values(String name, float[] values) {
        Spec s = tensor(name);
        if (values.length != s.elements()) {
            throw new IllegalArgumentException(name + " has " + s.elements() + " values, got " + values.length);
        }
        tensors.put(name, new Spec(name, s.type(), s.dims(), s.sd(), s.center(), s.seed(), values.clone()));
        return this;
    }

    public SyntheticTensors removeTensor(String name) {
        tensors.remove(name);
        return this;
    }

    public Spec tensor(String name) {
        Spec s = tensors.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no tensor '" + name + "'");
        }
        return s;
    }

    public List<Spec> tensors() {
        return List.copyOf(tensors.values());
    }

    /** Bytes of all tensor data (the file is this plus its header and alignment padding). */
    public long tensorBytes() {
        return tensors.values().stream().mapToLong(Spec::bytes).sum();
    }

    public long parameters() {
        return tensors.values().stream().mapToLong(Spec::elements).sum();
    }

    /** Writes the file (atomically, see {@link GgufWriter}); big tensors are streamed, never held whole. */
    public Path write(Path file) {
        GgufWriter w = new GgufWriter();
        metadata.forEach((k, v) -> w.put(k, v.type(), v.value()));
        for (Spec s : tensors.values()) {
            if (s.values() != null) {
                w.addTensor(s.name(), s.type(), s.dims(), Quantizer.quantize(s.type(), s.values()));
            } else {
                w.addTensor(s.name(), s.type(), s.dims(), out -> stream(out, s));
            }
        }
        w.write(file);
        return file;
    }

    private static void stream(OutputStream out, Spec s) throws IOException {
        int cols = (int) s.dims()[0];
        long rows = s.elements() / cols;
        SplittableRandom random = new SplittableRandom(s.seed());
        double bound = s.sd() * Math.sqrt(3); // uniform(-a, a) has variance a^2 / 3
        int rowsPerChunk = (int) Math.max(1, Math.min(rows, (1 << 20) / cols));
        float[] chunk = new float[rowsPerChunk * cols];
        for (long r = 0; r < rows; r += rowsPerChunk) {
            int n = (int) Math.min(rowsPerChunk, rows - r);
            float[] values = n == rowsPerChunk ? chunk : new float[n * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (s.center() + (random.nextDouble() * 2 - 1) * bound);
            }
            out.write(Quantizer.quantize(s.type(), values));
        }
    }
}
