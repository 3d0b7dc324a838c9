package io.inferlab.datasets.models;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Every synthetic model preset by name: the llama ones, then the gpt-oss ones. */
public final class SyntheticPresets {
    public static final List<SyntheticPreset> ALL = Stream.concat(ModelPreset.ALL.stream(), GptOssPreset.ALL.stream())
            .map(SyntheticPreset.class::cast).toList();

    private SyntheticPresets() {
    }

    public static SyntheticPreset byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(p -> p.name().equals(n)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown model preset '" + name + "' (known: " + ALL.stream().map(SyntheticPreset::name)
                        .collect(Collectors.joining(", ")) + ")"));
    }

    /** Whether {@code name} names a preset (rather than, say, a model file). */
    public static boolean exists(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return ALL.stream().anyMatch(p -> p.name().equals(n));
    }
}
