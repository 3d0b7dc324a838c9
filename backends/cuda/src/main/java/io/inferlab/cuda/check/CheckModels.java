package io.inferlab.cuda.check;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.inferlab.datasets.models.SyntheticModelWriter;
import io.inferlab.datasets.models.ModelPreset;
import io.inferlab.engine.tensor.GgmlType;

/** The small random llama models of the cross-backend check, generated in-process. */
public final class CheckModels {
    /**
     * Small enough to check 64 positions on the scalar oracle in a second, shaped to exercise the
     * tails: grouped-query attention (4 heads over 2 KV heads), 11 quantization blocks per FFN row,
     * rows that are no multiple of the matmul's warps per block, a separate output matrix. A
     * context of 512 leaves room for sequences longer than the engine's 256-token batch.
     */
    public static final ModelPreset CONFORMANCE = new ModelPreset("cuda-check", "CUDA check: 2 layers, GQA 4/2",
            128, 2, 4, 2, 352, 1003, 512, 10000f, false);
    public static final List<GgmlType> TYPES = List.of(GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0);

    private CheckModels() {
    }

    /** Writes {@code preset} in {@code type} into {@code dir} (deterministic weights) and returns its path. */
    public static Path generate(ModelPreset preset, GgmlType type, Path dir) {
        Path p = dir.resolve(preset.name() + "-" + type.name().toLowerCase(Locale.ROOT) + ".gguf");
        SyntheticModelWriter.write(preset, type, p);
        return p;
    }
}
