package io.inferlab.cuda;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;

/**
 * The {@code cuda} backend (JCuda, driver API). The probe lists the driver's devices with their
 * compute capability, multiprocessors and memory; {@link #open} runs
 * the llama or gpt-oss forward pass on the device ({@link io.inferlab.cuda.runtime.CudaLlamaForwardPass},
 * {@link io.inferlab.cuda.runtime.CudaGptOssForwardPass}).
 */
public final class CudaBackendProvider implements BackendProvider {
    public static final String ID = "cuda";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AccelerationType acceleration() {
        return AccelerationType.CUDA;
    }

    @Override
    public ProbeResult probe() {
        return switch (CudaProbe.discover()) {
            case CudaDiscovery.Failed f -> new ProbeResult.Unavailable(f.reason());
            case CudaDiscovery.Found found -> new ProbeResult.Available(
                    found.devices().stream().map(d -> CudaDeviceInfos.of(found, d)).toList());
        };
    }

    /**
     * Loads {@code model} onto the first (or the options' device) CUDA device.
     *
     * @throws BackendUnavailableException with the probe's reason when there is no usable device
     */
    @Override
    public InferenceBackend open(ModelSource model, BackendOptions options) {
        return CudaBackendOpener.open(ID, AccelerationType.CUDA, probe(), model, options, false);
    }
}
