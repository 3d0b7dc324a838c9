package io.inferlab.engine.runtime;

import io.inferlab.engine.model.ForwardPass;
import io.inferlab.engine.model.Model;

/**
 * A forward pass that runs somewhere other than on host {@link io.inferlab.engine.kernels.Kernels}
 * (a GPU backend) and owns what it allocated there. {@link EngineBackend} runs its tokenizer,
 * sampler and generation loop over it exactly as over the host forward pass, and closes it.
 */
public interface DeviceForwardPass extends ForwardPass, AutoCloseable {

    /** For the compute mode, e.g. "CUDA NVIDIA H200 (sm_90), 812 MiB device memory". */
    String description();

    /** Frees the device memory and the context. */
    @Override
    void close();

    /** Builds the device forward pass for a loaded model; failures free what was allocated before they propagate. */
    @FunctionalInterface
    interface Factory {
        DeviceForwardPass open(Model model, int contextLength, int maxBatch);
    }
}
