package io.inferlab.datasets.models;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.inferlab.engine.model.synthetic.GptOssShape;
import io.inferlab.engine.model.synthetic.HarmonyVocabulary;
import io.inferlab.engine.model.synthetic.SyntheticGptOss;
import io.inferlab.engine.tensor.GgmlType;

/**
 * Shapes of the synthetic {@code gpt-oss} models, written by the engine's one gpt-oss writer
 * ({@link SyntheticGptOss}) with the o200k-sized {@link HarmonyVocabulary} (harmony specials at
 * their real ids). The experts are MXFP4 whatever the type: that is the architecture's format
 * (llama.cpp's MXFP4_MOE file type). The preset's {@code type} sets every other matrix
 * (attention, router, embedding, output); the default q8_0 is what llama.cpp's MXFP4_MOE
 * quantization gives them.
 */
public record GptOssPreset(String name, String description, GptOssShape shape, boolean planOnly)
        implements SyntheticPreset {

    /** tiny-gpt-oss.gguf's shape (llama.cpp's test model): generates in seconds, mostly vocabulary. */
    public static final GptOssPreset TINY = new GptOssPreset("gpt-oss-tiny",
            "tiny-gpt-oss shape, 4 experts, ~26M parameters", GptOssShape.tiny(), false);
    /** gpt-oss proportions at 1.2B parameters: 32 experts top-4, the real vocabulary. */
    public static final GptOssPreset ONE_B = new GptOssPreset("gpt-oss-1b",
            "gpt-oss proportions, 32 experts top-4, ~1.2B parameters", GptOssShape.oneB(), false);
    /** openai/gpt-oss-20b's shape, for memory plans (the file would be about 12 GB). */
    public static final GptOssPreset TWENTY_B = new GptOssPreset("gpt-oss-20b",
            "gpt-oss-20b shape, 32 experts top-4, ~20.9B parameters", GptOssShape.twentyB(), true);

    public static final List<GptOssPreset> ALL = List.of(TINY, ONE_B, TWENTY_B);

    @Override
    public String architecture() {
        return SyntheticGptOss.ARCH;
    }

    @Override
    public long parameterCount() {
        return shape.parameters(false);
    }

    @Override
    public String typeDescription(GgmlType type) {
        return type.name().toLowerCase(Locale.ROOT) + " dense, mxfp4 experts";
    }

    /** The writer for this preset with {@code type} dense tensors. */
    public SyntheticGptOss writer(GgmlType type) {
        return new SyntheticGptOss("inferlab-synthetic-" + name + "-" + type.name().toLowerCase(Locale.ROOT), shape,
                HarmonyVocabulary.o200kSized(), type, type, false, SyntheticModelWriter.DEFAULT_SEED);
    }

    @Override
    public MemoryPlan plan(GgmlType type) {
        SyntheticGptOss w = writer(type);
        return new MemoryPlan(name, typeDescription(type), parameterCount(), w.contents().tensorBytes(),
                w.bytesPerToken(), w.kvCacheBytes(1, Float.BYTES, false), w.kvCacheBytes(1024, 2, true));
    }

    @Override
    public void write(GgmlType type, Path out) {
        writer(type).write(out);
    }

    @Override
    public String toString() {
        return name + " (" + description + ")";
    }
}
