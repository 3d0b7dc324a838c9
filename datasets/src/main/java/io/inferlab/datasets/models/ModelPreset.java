package io.inferlab.datasets.models;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.inferlab.engine.model.AttentionHeads;
import io.inferlab.engine.tensor.GgmlType;

/**
 * Shapes of the synthetic {@code llama} models we generate for benchmarks. Parameter counts and
 * layouts follow public models so that bytes per token, and so the decode roofline, are realistic.
 *
 * @param tiedOutput  whether {@code output.weight} is left out (the embedding is reused)
 */
public record ModelPreset(String name, String description, int dim, int layers, int heads, int kvHeads, int ffnDim,
                          int vocabSize, int contextLength, float ropeBase, boolean tiedOutput)
        implements SyntheticPreset, AttentionHeads {

    /** stories15M's shape (llama2.c): a model that generates in seconds anywhere. */
    public static final ModelPreset TINY = new ModelPreset("tiny", "stories15M shape, ~15M parameters",
            288, 6, 6, 6, 768, 32000, 256, 10000f, true);
    /** stories110M's shape: a small model where decode starts to be memory-bound. */
    public static final ModelPreset SMALL = new ModelPreset("110m", "stories110M shape, ~110M parameters",
            768, 12, 12, 12, 2048, 32000, 1024, 10000f, true);
    /** TinyLlama 1.1B's shape: grouped-query attention, 32k vocabulary, separate output. */
    public static final ModelPreset TINYLLAMA_1B = new ModelPreset("1b", "TinyLlama-1.1B shape, ~1.1B parameters",
            2048, 22, 32, 4, 5632, 32000, 2048, 10000f, false);
    /** Llama 3.2 1B's shape: 128k vocabulary, tied output, RoPE base 500000. */
    public static final ModelPreset LLAMA32_1B = new ModelPreset("llama3-1b", "Llama-3.2-1B shape, ~1.2B parameters",
            2048, 16, 32, 8, 8192, 128256, 4096, 500000f, true);

    public static final List<ModelPreset> ALL = List.of(TINY, SMALL, TINYLLAMA_1B, LLAMA32_1B);

    public ModelPreset {
        if (dim % heads != 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException(name + ": heads must divide dim and kv heads must divide heads");
        }
        if (dim % 32 != 0 || ffnDim % 32 != 0) {
            throw new IllegalArgumentException(name + ": dim and ffn must be multiples of 32 (quantization blocks)");
        }
    }

    public int headDim() {
        return dim / heads;
    }

    /** Parameters of all tensors, the embedding counted once when tied. */
    public long parameterCount() {
        long perLayer = 2L * dim + (long) dim * dim * 2 + 2L * dim * kvDim() + 3L * dim * ffnDim;
        return (long) vocabSize * dim * (tiedOutput ? 1 : 2) + dim + layers * perLayer;
    }

    @Override
    public String architecture() {
        return "llama";
    }

    @Override
    public String typeDescription(GgmlType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    /** Every matrix in {@code type}, norms in F32 (as {@link SyntheticModelWriter} writes them). */
    @Override
    public MemoryPlan plan(GgmlType type) {
        long layerMatrices = (long) dim * dim * 2 + 2L * dim * kvDim() + 3L * dim * ffnDim;
        long embedding = type.bytesFor((long) vocabSize * dim);
        long norms = Float.BYTES * (2L * dim * layers + dim);
        long weights = embedding * (tiedOutput ? 1 : 2) + layers * type.bytesFor(layerMatrices) + norms;
        // Decode reads every layer matrix, the output (the embedding when tied) and one embedding row.
        long perToken = layers * type.bytesFor(layerMatrices) + embedding + type.bytesFor(dim);
        long kvPerPosition = 2L * layers * kvDim() * Float.BYTES;
        return new MemoryPlan(name, typeDescription(type), parameterCount(), weights, perToken, kvPerPosition,
                kvPerPosition / 2 * 1024);
    }

    @Override
    public void write(GgmlType type, Path out) {
        SyntheticModelWriter.write(this, type, out);
    }

    /** A llama preset by name; {@link SyntheticPresets#byName} also knows the gpt-oss ones. */
    public static ModelPreset byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(p -> p.name.equals(n)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown model preset '" + name + "' (known: " + ALL.stream().map(ModelPreset::name)
                        .collect(Collectors.joining(", ")) + ")"));
    }

    /**
     * The tensor type of a generated model from its user-facing name (f32, f16, bf16, q8_0, q4_0,
     * any case), for every preset. MXFP4 is not a {@code --type}: it is the format of gpt-oss
     * experts, which are MXFP4 in every gpt-oss preset whatever the type, while {@code --type}
     * sets their other matrices (and every matrix of a llama preset).
     */
    public static GgmlType tensorType(String name) {
        String known = "(known: f32, f16, bf16, q8_0, q4_0)";
        GgmlType t;
        try {
            t = GgmlType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown model type '" + name + "' " + known);
        }
        if (t == GgmlType.MXFP4) {
            throw new IllegalArgumentException("model type '" + name + "' is not a --type " + known
                    + ": gpt-oss presets always have MXFP4 experts, and --type sets their other matrices");
        }
        return t;
    }

    @Override
    public String toString() {
        return name + " (" + description + ")";
    }

}
