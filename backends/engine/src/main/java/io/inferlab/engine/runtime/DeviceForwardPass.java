package io.inferlab.engine.runtime;

import java.util.OptionalLong;

import io.inferlab.engine.model.ForwardPass;
import io.inferlab.engine.model.Model;
import io.inferlab.engine.sampling.Sampler;

/**
 * A forward pass that runs somewhere other than on host {@link io.inferlab.engine.kernels.Kernels}
 * (a GPU backend) and owns what it allocated there. {@link EngineBackend} runs its tokenizer,
 * sampler and generation loop over it exactly as over the host forward pass, and closes it.
 */
public interface DeviceForwardPass extends ForwardPass, AutoCloseable {

    /** For the compute mode, e.g. "CUDA NVIDIA H200 (sm_90), 812 MiB device memory". */
    String description();

    /**
     * Like {@link #forward}, but returns only the greedy next token: the argmax of the last
     * token's logits, ties to the lowest id (as {@link Sampler#argmax}). A device computes it
     * where the logits are and reads back one int; {@link EngineBackend} calls this for greedy
     * requests. This default reads the logits back and picks on the host.
     */
    default int forwardArgmax(int[] tokens, int from, int count, int pos) {
        return Sampler.argmax(forward(tokens, from, count, pos), vocabSize());
    }

    /**
     * Bytes of device memory this pass holds (what {@link io.inferlab.api.InferenceBackend#deviceMemoryBytes}
     * reports for its backend); empty where the device does not say.
     */
    default OptionalLong deviceMemoryBytes() {
        return OptionalLong.empty();
    }

    /** Frees the device memory and the context. */
    @Override
    void close();

    /** Builds the device forward pass for a loaded model; failures free what was allocated before they propagate. */
    @FunctionalInterface
    interface Factory {
        DeviceForwardPass open(Model model, int contextLength, int maxBatch);
    }
}
