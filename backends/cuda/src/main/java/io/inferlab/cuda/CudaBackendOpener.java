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
import io.inferlab.cuda.runtime.CudaGptOssForwardPass;
import io.inferlab.cuda.runtime.CudaLlamaForwardPass;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.model.LlamaModel;
import io.inferlab.engine.model.Model;
import io.inferlab.engine.runtime.DeviceForwardPass;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;

/**
 * Opens a model on a CUDA device for both providers: the probe's verdict first (so a host without
 * the driver gets the probe's reason), then the engine's runtime (tokenizer, sampler, generation
 * loop) over {@link CudaLlamaForwardPass} or {@link CudaGptOssForwardPass} by the model's architecture.
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
        return EngineBackend.open(id, acceleration, source.path(), options, DEFAULT_CONTEXT_CAP,
                (model, ctx, batch) -> forwardPass(id, mxfp4, source, model).opener()
                        .open(CudaContext.open(device), ctx, batch));
    }

    /** How a model's forward pass goes onto a device context (taking ownership of it). */
    @FunctionalInterface
    interface PassOpener {
        DeviceForwardPass open(CudaContext cx, int contextLength, int maxBatch);
    }

    /** The forward pass chosen for a model: its class (for the tests and messages) and how to open it. */
    record PassChoice(Class<? extends DeviceForwardPass> pass, PassOpener opener) {
    }

    /**
     * The forward pass for {@code model}'s architecture (llama or gpt-oss), checked before any
     * device context exists: {@code cuda-mxfp4} ({@code mxfp4}) takes only models with MXFP4 weights
     * (gpt-oss's experts count).
     *
     * @throws UnsupportedModelException naming the architecture or the missing MXFP4 weights
     */
    static PassChoice forwardPass(String id, boolean mxfp4, ModelSource source, Model model) {
        PassChoice choice = switch (model) {
            case LlamaModel llama -> new PassChoice(CudaLlamaForwardPass.class,
                    (cx, ctx, batch) -> CudaLlamaForwardPass.open(cx, llama, ctx, batch));
            case GptOssModel oss -> {
                // Refused before a context exists: a weight type without a kernel, too many experts.
                CudaGptOssForwardPass.checkSupported(oss);
                yield new PassChoice(CudaGptOssForwardPass.class,
                        (cx, ctx, batch) -> CudaGptOssForwardPass.open(cx, oss, ctx, batch));
            }
            default -> throw new UnsupportedModelException("backend '" + id + "' runs the llama and gpt-oss "
                    + "architectures; " + source.path() + " is '" + model.architecture() + "'");
        };
        if (mxfp4 && model.matrices().stream().noneMatch(t -> t.type() == GgmlType.MXFP4)) {
            throw new UnsupportedModelException("backend '" + id + "' runs MXFP4 weights; " + source.path()
                    + " has none (use backend '" + CudaBackendProvider.ID + "')");
        }
        return choice;
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
