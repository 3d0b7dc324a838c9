package io.inferlab.datasets.models;

import java.nio.file.Path;

import io.inferlab.engine.tensor.GgmlType;

/**
 * A synthetic benchmark model: a public model's shape with deterministic random weights,
 * generated with the GGUF writer and cached by {@link ModelCache}; all of them are in
 * {@link SyntheticPresets}. {@code llama} presets are {@link ModelPreset}s, {@code gpt-oss}
 * presets {@link GptOssPreset}s. The {@code type} of every
 * method is what {@link ModelPreset#tensorType(String)} parsed from the user's {@code --type}.
 */
public sealed interface SyntheticPreset permits ModelPreset, GptOssPreset {

    String name();

    String description();

    /** GGUF {@code general.architecture}: {@code llama} or {@code gpt-oss}. */
    String architecture();

    /** Parameters of all tensors. */
    long parameterCount();

    /** What {@code type} means for this preset's tensors, e.g. "q8_0" or "q8_0 dense, mxfp4 experts". */
    String typeDescription(GgmlType type);

    /** Sizes of the model in {@code type}, computed from the shape without writing anything. */
    MemoryPlan plan(GgmlType type);

    /** Writes the model (deterministically: the same preset and type give the same bytes). */
    void write(GgmlType type, Path out);

    /**
     * Whether {@code models generate} and the cache write it only when asked explicitly: shapes
     * meant for memory planning (tens of gigabytes), not for this machine's benchmarks.
     */
    default boolean planOnly() {
        return false;
    }
}
