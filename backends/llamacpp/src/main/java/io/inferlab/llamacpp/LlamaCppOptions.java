package io.inferlab.llamacpp;

import io.inferlab.api.AccelerationType;

/**
 * Options of the llama.cpp backend beyond {@link io.inferlab.api.BackendOptions}.
 *
 * @param gpuLayers layers to offload to the GPU (llama.cpp's {@code n_gpu_layers}); -1 = all of
 *                  them. Always 0 where the library has no GPU backend (the CPU builds for Linux
 *                  and Windows), whatever is asked.
 */
public record LlamaCppOptions(int gpuLayers) {
    /** System property that overrides the default of {@link #gpuLayers()} (e.g. {@code -Dinferlab.llamacpp.gpuLayers=0}). */
    public static final String GPU_LAYERS_PROPERTY = "inferlab.llamacpp.gpuLayers";
    /** Environment variable with the same meaning, for the {@code inferlab} launcher. */
    public static final String GPU_LAYERS_ENV = "INFERLAB_LLAMACPP_GPU_LAYERS";

    public LlamaCppOptions {
        if (gpuLayers < -1) {
            throw new IllegalArgumentException("gpuLayers must be >= -1 (-1 = all), got " + gpuLayers);
        }
    }

    /** All layers on Metal, none on CPU, unless the property or the environment variable says otherwise. */
    public static LlamaCppOptions defaults(AccelerationType acceleration) {
        String override = System.getProperty(GPU_LAYERS_PROPERTY, System.getenv(GPU_LAYERS_ENV));
        if (override != null && !override.isBlank()) {
            try {
                return new LlamaCppOptions(Integer.parseInt(override.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(GPU_LAYERS_PROPERTY + "/" + GPU_LAYERS_ENV + " must be an integer >= -1, got '"
                        + override + "'");
            }
        }
        return new LlamaCppOptions(acceleration == AccelerationType.METAL ? -1 : 0);
    }
}
