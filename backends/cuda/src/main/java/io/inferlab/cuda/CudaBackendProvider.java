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
 * compute capability, multiprocessors and memory; the kernels arrive with the CUDA backend issue,
 * so {@link #open} says so.
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

    @Override
    public InferenceBackend open(ModelSource model, BackendOptions options) {
        throw new BackendUnavailableException("backend 'cuda' cannot open " + model.path()
                + ": kernels arrive with the CUDA backend issue");
    }
}
