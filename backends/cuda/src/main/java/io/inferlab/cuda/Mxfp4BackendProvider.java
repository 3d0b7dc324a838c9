package io.inferlab.cuda;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;

/**
 * The {@code cuda-mxfp4} backend: MXFP4 weights executed by CUDA kernels that read them directly.
 * Its probe applies {@link Mxfp4Rule} to the CUDA devices; {@link #open} runs a model
 * with MXFP4 weights on the device: gpt-oss (its MXFP4 experts) or llama.
 */
public final class Mxfp4BackendProvider implements BackendProvider {
    public static final String ID = "cuda-mxfp4";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AccelerationType acceleration() {
        return AccelerationType.MXFP4;
    }

    @Override
    public ProbeResult probe() {
        return Mxfp4Rule.verdict(CudaProbe.discover());
    }

    /**
     * Loads {@code model} onto the first (or the options' device) CUDA device.
     *
     * @throws BackendUnavailableException with the probe's reason when there is no usable device
     */
    @Override
    public InferenceBackend open(ModelSource model, BackendOptions options) {
        return CudaBackendOpener.open(ID, AccelerationType.MXFP4, probe(), model, options, true);
    }
}
