package io.inferlab.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import io.inferlab.datasets.models.ModelCache;
import io.inferlab.datasets.models.ModelPreset;
import io.inferlab.datasets.models.SyntheticPreset;
import io.inferlab.datasets.models.SyntheticPresets;
import io.inferlab.engine.tensor.GgmlType;

/** Turns the {@code model} and {@code type} benchmark parameters into a GGUF file. */
public final class ModelResolver {
    private ModelResolver() {
    }

    /**
     * {@code model} is a path to a GGUF file, or a preset name (llama or gpt-oss, see
     * {@link SyntheticPresets}) generated (and cached) in {@code type}.
     */
    public static Path resolve(String model, String type) {
        return resolve(model, type, message -> { });
    }

    /** As {@link #resolve(String, String)}, telling {@code progress} before a model is generated (seconds to minutes). */
    public static Path resolve(String model, String type, Consumer<String> progress) {
        Path p = Path.of(model);
        if (model.endsWith(".gguf") || Files.isRegularFile(p)) {
            return p;
        }
        if (!SyntheticPresets.exists(model)) {
            throw new IllegalArgumentException("'" + model + "' is neither a model file nor a preset (presets: "
                    + String.join(", ", SyntheticPresets.ALL.stream().map(SyntheticPreset::name).toList()) + ")");
        }
        SyntheticPreset preset = SyntheticPresets.byName(model);
        GgmlType t = ModelPreset.tensorType(type);
        ModelCache cache = ModelCache.standard();
        return cache.find(preset, t).orElseGet(() -> {
            if (!preset.planOnly()) {
                progress.accept("generating synthetic model " + preset.name() + " (" + preset.typeDescription(t)
                        + ") into " + cache.dir() + " ...");
            }
            return cache.getOrGenerate(preset, t);
        });
    }
}
