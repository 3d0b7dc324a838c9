package io.inferlab.cuda;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.inferlab.api.DeviceInfo;
import io.inferlab.api.ProbeResult;

/**
 * When MXFP4 (GGML type 39: blocks of 32 E2M1 values sharing one E8M0 scale, per the OCP
 * Microscaling Formats v1.0 spec) can run on this host's CUDA devices.
 *
 * <p>The rule: a CUDA device qualifies when its compute capability is at least
 * {@value #MIN_MAJOR}.{@value #MIN_MINOR} (Turing), the minimum our MXFP4 kernels target (the CUDA
 * backend issue: "Turing and newer"); they are to read the packed weights directly and decode them
 * in registers, so they need no FP4 hardware. A device of
 * compute capability {@value #NATIVE_FP4_MIN_MAJOR}.0 or newer is Blackwell-class (10.x data-center
 * parts such as B200, 12.x GeForce and workstation parts such as the RTX 50 series), whose tensor
 * cores multiply FP4 natively; that is reported as the property
 * {@link CudaDeviceProperties#NATIVE_FP4_TENSOR_CORES} and does not change the verdict.
 */
public final class Mxfp4Rule {
    public static final int MIN_MAJOR = 7;
    public static final int MIN_MINOR = 5;
    public static final int NATIVE_FP4_MIN_MAJOR = 10;

    /** The rule in one line, as detection reports it. */
    public static final String RULE = "a CUDA device of compute capability >= " + MIN_MAJOR + "." + MIN_MINOR
            + " (Turing or newer), the minimum of our MXFP4 kernels; compute capability >= " + NATIVE_FP4_MIN_MAJOR
            + ".0 (Blackwell) adds native FP4 tensor cores";

    private Mxfp4Rule() {
    }

    public static boolean qualifies(CudaDevice device) {
        return device.atLeast(MIN_MAJOR, MIN_MINOR);
    }

    public static boolean hasNativeFp4TensorCores(CudaDevice device) {
        return device.computeCapabilityMajor() >= NATIVE_FP4_MIN_MAJOR;
    }

    /** The MXFP4 verdict for what the CUDA driver said: the qualifying devices, or why none does. */
    public static ProbeResult verdict(CudaDiscovery discovery) {
        return switch (discovery) {
            case CudaDiscovery.Failed f -> new ProbeResult.Unavailable("MXFP4 needs " + RULE + "; CUDA: " + f.reason());
            case CudaDiscovery.Found found -> verdict(found);
        };
    }

    private static ProbeResult verdict(CudaDiscovery.Found found) {
        List<DeviceInfo> qualifying = found.devices().stream().filter(Mxfp4Rule::qualifies)
                .map(d -> deviceInfo(found, d)).toList();
        if (qualifying.isEmpty()) {
            String seen = found.devices().stream().map(d -> d.name() + " (" + d.computeCapability() + ")")
                    .collect(Collectors.joining(", "));
            return new ProbeResult.Unavailable("no CUDA device qualifies for MXFP4, which needs " + RULE + "; found: " + seen);
        }
        return new ProbeResult.Available(qualifying);
    }

    private static DeviceInfo deviceInfo(CudaDiscovery.Found found, CudaDevice device) {
        boolean nativeFp4 = hasNativeFp4TensorCores(device);
        Map<String, String> p = CudaDeviceInfos.properties(found, device);
        p.put(CudaDeviceProperties.MXFP4_MIN_COMPUTE_CAPABILITY, MIN_MAJOR + "." + MIN_MINOR);
        p.put(CudaDeviceProperties.NATIVE_FP4_TENSOR_CORES, Boolean.toString(nativeFp4));
        p.put(CudaDeviceProperties.MXFP4_RULE, RULE);
        String description = CudaDeviceInfos.description(found, device)
                + (nativeFp4 ? "; native FP4 tensor cores" : "; no FP4 tensor cores (MXFP4 decoded in the kernel)");
        return new DeviceInfo(device.name(), description, device.totalMemoryBytes(), p);
    }
}
