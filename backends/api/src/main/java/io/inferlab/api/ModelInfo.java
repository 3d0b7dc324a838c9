package io.inferlab.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a backend loaded.
 *
 * @param tensorTypes  GGML type name (e.g. "Q8_0") to the number of tensors of that type
 * @param weightBytes  bytes of all tensor data in the file
 * @param bytesPerToken weight bytes one decode step reads (every matrix once, plus one embedding
 *                     row; of a mixture of experts only the experts a token uses): the numerator
 *                     of the memory-bandwidth roofline
 */
public record ModelInfo(Path path, String architecture, String name, long parameterCount,
                        Map<String, Integer> tensorTypes, long weightBytes, long bytesPerToken, int contextLength,
                        int vocabularySize) {
    public ModelInfo {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(architecture, "architecture");
        name = name == null ? "" : name;
        tensorTypes = Map.copyOf(tensorTypes);
    }
}
