package io.inferlab.cuda.check;

import java.nio.file.Path;
import java.util.Locale;

import io.inferlab.engine.model.synthetic.GptOssShape;
import io.inferlab.engine.model.synthetic.HarmonyVocabulary;
import io.inferlab.engine.model.synthetic.SyntheticGptOss;
import io.inferlab.engine.tensor.GgmlType;

/**
 * The generated gpt-oss models of the GPU check, written on the GPU host itself (the real
 * tiny-gpt-oss.gguf, 78 MB, does not travel in the check's bundle), with the engine's one gpt-oss
 * writer ({@link SyntheticGptOss}): MXFP4 experts always, dense matrices in a chosen type.
 */
public final class GptOssCheckModels {
    /**
     * Small enough for the CPU backend to check 64 positions in a second, shaped to exercise the
     * device pass's tails: q wider than dim (4 heads of 48 over dim 128), grouped-query attention
     * 4/2, head size 48 (no power of two), 3 layers (sliding window 8 on layers 0 and 2, full on
     * 1; 64 positions cross the window many times), 8 experts with 3 used, an expert width of 5
     * quantization blocks, 1003 vocabulary rows, a context of 512 (room for more than one 256-token
     * batch).
     */
    public static final GptOssShape CONFORMANCE = new GptOssShape(128, 3, 4, 2, 48, 8, 3, 160, 1003, 8, 512);
    /** The decode benchmark's shape: ~1.2B parameters with gpt-oss's proportions and vocabulary. */
    public static final GptOssShape BENCH_1B = GptOssShape.oneB();

    private GptOssCheckModels() {
    }

    /**
     * The conformance model with dense matrices of {@code denseType} into {@code dir}; {@code tied}
     * leaves out output.weight (the embedding is reused).
     */
    public static Path conformance(GgmlType denseType, boolean tied, Path dir) {
        HarmonyVocabulary vocabulary = HarmonyVocabulary.of(HarmonyVocabulary.letterMerges(100), CONFORMANCE.vocabRows());
        String name = "cuda-check-gpt-oss-" + denseType.name().toLowerCase(Locale.ROOT) + (tied ? "-tied" : "");
        return new SyntheticGptOss(name, CONFORMANCE, vocabulary, denseType, GgmlType.Q8_0, tied, 11)
                .write(dir.resolve(name + ".gguf"));
    }

    /** The ~1B benchmark model (Q8_0 dense and embedding, MXFP4 experts, separate output) into {@code dir}. */
    public static Path bench1b(Path dir) {
        return new SyntheticGptOss("cuda-check-gpt-oss-1b", BENCH_1B, HarmonyVocabulary.o200kSized(), GgmlType.Q8_0,
                GgmlType.Q8_0, false, 5).write(dir.resolve("gpt-oss-1b-mxfp4.gguf"));
    }
}
