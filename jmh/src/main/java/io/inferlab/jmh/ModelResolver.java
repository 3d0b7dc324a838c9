package io.inferlab.jmh;

import java.nio.file.Files;
import java.nio.file.Path;

import io.inferlab.datasets.models.ModelCache;
import io.inferlab.datasets.models.ModelPreset;
import io.inferlab.engine.tensor.GgmlType;

/** Turns the {@code model} and {@code type} benchmark parameters into a GGUF file. */
public final class ModelResolver {
    private ModelResolver() {
    }

    /** {@code model} is a path to a GGUF file, or a preset name generated (and cached) in {@code type}. */
    public static Path resolve(String model, String type) {
        Path p = Path.of(model);
        if (model.endsWith(".gguf") || Files.isRegularFile(p)) {
            return p;
        }
        ModelPreset preset = ModelPreset.byName(model);
        GgmlType t = ModelPreset.tensorType(type);
        return ModelCache.standard().getOrGenerate(preset, t);
    }
}
