package io.inferlab.cuda;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.cuda.kernels.LaunchGeometry;
import io.inferlab.cuda.runtime.CudaContext;
import io.inferlab.cuda.runtime.CudaLlamaForwardPass;
import io.inferlab.engine.model.LlamaModel;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;

/**
 * Opens a model on a CUDA device for both providers: the probe's verdict first (so a host without
 * the driver gets the probe's reason), then the engine's runtime (tokenizer, sampler, generation
 * loop) over {@link CudaLlamaForwardPass}.
 */
final class CudaBackendOpener {
    /** KV cache positions when the options leave it open: the engine's default cap. */
    static final int DEFAULT_CONTEXT_CAP = Math.min(EngineBackend.DEFAULT_CONTEXT_CAP,
            LaunchGeometry.maxAttentionContext());

    private CudaBackendOpener() {
    }

    static InferenceBackend open(String id, AccelerationType acceleration, ProbeResult probe, ModelSource source,
                                 BackendOptions options, boolean mxfp4) {
        if (probe instanceof ProbeResult.Unavailable u) {
            throw new BackendUnavailableException("backend '" + id + "' is unavailable: " + u.reason());
        }
        CudaDevice device = pick(id, options);
        if (options.contextLength() > LaunchGeometry.maxAttentionContext()) {
            throw new IllegalArgumentException("backend '" + id + "' supports a context of at most "
                    + LaunchGeometry.maxAttentionContext() + " positions, asked for " + options.contextLength());
        }
        return EngineBackend.open(id, acceleration, source.path(), options, DEFAULT_CONTEXT_CAP, (model, ctx, batch) -> {
            if (!(model instanceof LlamaModel llama)) {
                throw new UnsupportedModelException("backend '" + id + "' runs the llama architecture; "
                        + source.path() + " is '" + model.architecture() + "' (gpt-oss on CUDA is not implemented yet)");
            }
            boolean hasMxfp4 = llama.matrices().stream().anyMatch(t -> t.type() == GgmlType.MXFP4);
            if (mxfp4 && !hasMxfp4) {
                throw new UnsupportedModelException("backend '" + id + "' runs MXFP4 weights; " + source.path()
                        + " has none (use backend '" + CudaBackendProvider.ID + "')");
            }
            return CudaLlamaForwardPass.open(CudaContext.open(device), llama, ctx, batch);
        });
    }

    private static CudaDevice pick(String id, BackendOptions options) {
        if (!(CudaProbe.discover() instanceof CudaDiscovery.Found found)) {
            throw new BackendUnavailableException("backend '" + id + "' is unavailable: no CUDA device");
        }
        int index = Math.max(0, options.deviceIndex());
        return found.devices().stream().filter(d -> d.index() == index).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("backend '" + id + "' has no CUDA device " + index
                        + " (devices: 0.." + (found.devices().size() - 1) + ")"));
    }
}
