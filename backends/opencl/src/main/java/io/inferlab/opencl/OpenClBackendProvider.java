package io.inferlab.opencl;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.DeviceInfo;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;
import io.inferlab.engine.runtime.EngineBackend;

/**
 * The {@code opencl} backend (JOCL). The probe lists every platform's devices with their type,
 * compute units, memory limits, OpenCL C version and fp16 support (keys in
 * {@link OpenClDeviceProperties}); {@link #open} runs the llama or gpt-oss forward pass on one of
 * them with OpenCL C kernels (resources under {@code io/inferlab/opencl/kernels}).
 */
public final class OpenClBackendProvider implements BackendProvider {
    public static final String ID = "opencl";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AccelerationType acceleration() {
        return AccelerationType.OPENCL;
    }

    @Override
    public ProbeResult probe() {
        return switch (OpenClProbe.discover()) {
            case OpenClDiscovery.Failed f -> new ProbeResult.Unavailable(f.reason());
            case OpenClDiscovery.Found found -> new ProbeResult.Available(
                    found.devices().stream().map(OpenClBackendProvider::deviceInfo).toList());
        };
    }

    static DeviceInfo deviceInfo(OpenClDevice d) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(OpenClDeviceProperties.PLATFORM_INDEX, Integer.toString(d.platformIndex()));
        p.put(OpenClDeviceProperties.DEVICE_INDEX, Integer.toString(d.deviceIndex()));
        p.put(OpenClDeviceProperties.PLATFORM_NAME, d.platformName());
        p.put(OpenClDeviceProperties.PLATFORM_VERSION, d.platformVersion());
        p.put(OpenClDeviceProperties.DEVICE_TYPE, d.type());
        p.put(OpenClDeviceProperties.VENDOR, d.vendor());
        p.put(OpenClDeviceProperties.COMPUTE_UNITS, Integer.toString(d.computeUnits()));
        p.put(OpenClDeviceProperties.GLOBAL_MEMORY_BYTES, Long.toString(d.globalMemoryBytes()));
        p.put(OpenClDeviceProperties.MAX_ALLOCATION_BYTES, Long.toString(d.maxAllocationBytes()));
        p.put(OpenClDeviceProperties.LOCAL_MEMORY_BYTES, Long.toString(d.localMemoryBytes()));
        p.put(OpenClDeviceProperties.MAX_WORK_GROUP_SIZE, Long.toString(d.maxWorkGroupSize()));
        p.put(OpenClDeviceProperties.OPENCL_C_VERSION, d.openClCVersion());
        p.put(OpenClDeviceProperties.DEVICE_VERSION, d.deviceVersion());
        p.put(OpenClDeviceProperties.DRIVER_VERSION, d.driverVersion());
        p.put(OpenClDeviceProperties.FP16, Boolean.toString(d.fp16()));
        p.put(OpenClDeviceProperties.FP64, Boolean.toString(d.fp64()));
        String description = String.format(Locale.ROOT, "%s %s on %s, %d compute units, %s, %.1f GiB (max buffer %.1f GiB)%s",
                d.type(), d.vendor(), d.platformName(), d.computeUnits(), d.openClCVersion(),
                d.globalMemoryBytes() / (double) (1L << 30), d.maxAllocationBytes() / (double) (1L << 30),
                d.fp16() ? ", fp16" : "");
        return new DeviceInfo(d.name(), description, d.globalMemoryBytes(), p);
    }

    /**
     * Opens {@code model} on the device {@link DeviceSelection} picks: the engine's tokenizer,
     * sampler and generation loop over the OpenCL forward pass ({@link OpenClLlamaPass},
     * {@link OpenClGptOssPass}).
     */
    @Override
    public InferenceBackend open(ModelSource model, BackendOptions options) {
        OpenClDevice device = switch (OpenClProbe.discover()) {
            case OpenClDiscovery.Failed f -> throw new BackendUnavailableException("backend 'opencl' is unavailable here: "
                    + f.reason());
            case OpenClDiscovery.Found found -> DeviceSelection.choose(found.devices(), options.deviceIndex());
        };
        return open(model, options, new OpenClPassFactory(device));
    }

    /** {@link #open} with a given factory: the tests' way to lower the device's limits. */
    static EngineBackend open(ModelSource model, BackendOptions options, OpenClPassFactory factory) {
        return EngineBackend.open(ID, AccelerationType.OPENCL, model.path(), options, EngineBackend.DEFAULT_CONTEXT_CAP,
                factory);
    }
}
