package io.inferlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.inferlab.api.DeviceInfo;
import io.inferlab.api.ProbeResult;

/** The MXFP4 rule over the compute capabilities of real NVIDIA generations. */
class Mxfp4RuleTest {
    private static final long GIB = 1L << 30;

    static CudaDevice device(int index, String name, int major, int minor) {
        return new CudaDevice(index, name, major, minor, 80, 16 * GIB);
    }

    @Test
    void turingIsTheMinimumAndBlackwellAddsNativeFp4() {
        record Case(String name, int major, int minor, boolean qualifies, boolean nativeFp4) {
        }
        for (Case c : List.of(
                new Case("Tesla P100", 6, 0, false, false),
                new Case("Tesla V100", 7, 0, false, false),
                new Case("Tesla T4", 7, 5, true, false),
                new Case("A100", 8, 0, true, false),
                new Case("L4", 8, 9, true, false),
                new Case("H100", 9, 0, true, false),
                new Case("B200", 10, 0, true, true),
                new Case("RTX 5090", 12, 0, true, true))) {
            CudaDevice d = device(0, c.name(), c.major(), c.minor());
            assertEquals(c.qualifies(), Mxfp4Rule.qualifies(d), c.name());
            assertEquals(c.nativeFp4(), Mxfp4Rule.hasNativeFp4TensorCores(d), c.name());
        }
    }

    @Test
    void onlyQualifyingDevicesAreListedWithTheRuleAndTheFp4Property() {
        CudaDiscovery.Found found = new CudaDiscovery.Found(13000, "580.65.06",
                List.of(device(0, "Tesla V100", 7, 0), device(1, "NVIDIA H100 80GB HBM3", 9, 0), device(2, "NVIDIA B200", 10, 0)));
        List<DeviceInfo> devices = assertInstanceOf(ProbeResult.Available.class, Mxfp4Rule.verdict(found)).devices();
        assertEquals(List.of("NVIDIA H100 80GB HBM3", "NVIDIA B200"), devices.stream().map(DeviceInfo::name).toList());
        DeviceInfo h100 = devices.getFirst();
        assertEquals("9.0", h100.properties().get(CudaDeviceProperties.COMPUTE_CAPABILITY));
        assertEquals("1", h100.properties().get(CudaDeviceProperties.DEVICE_INDEX));
        assertEquals("false", h100.properties().get(CudaDeviceProperties.NATIVE_FP4_TENSOR_CORES));
        assertEquals("7.5", h100.properties().get(CudaDeviceProperties.MXFP4_MIN_COMPUTE_CAPABILITY));
        assertEquals(Mxfp4Rule.RULE, h100.properties().get(CudaDeviceProperties.MXFP4_RULE));
        assertEquals("13.0", h100.properties().get(CudaDeviceProperties.DRIVER_VERSION));
        assertEquals("580.65.06", h100.properties().get(CudaDeviceProperties.DRIVER_RELEASE));
        assertTrue(h100.description().contains("driver 580.65.06 (CUDA 13.0)"), h100.description());
        assertEquals("true", devices.get(1).properties().get(CudaDeviceProperties.NATIVE_FP4_TENSOR_CORES));
    }

    @Test
    void noQualifyingDeviceNamesTheDevicesAndTheRule() {
        CudaDiscovery.Found found = new CudaDiscovery.Found(12080, "", List.of(device(0, "Tesla V100-SXM2-16GB", 7, 0)));
        String reason = assertInstanceOf(ProbeResult.Unavailable.class, Mxfp4Rule.verdict(found)).reason();
        assertTrue(reason.contains("Tesla V100-SXM2-16GB (7.0)") && reason.contains(">= 7.5"), reason);
    }

    @Test
    void aCudaFailureCarriesThrough() {
        String reason = assertInstanceOf(ProbeResult.Unavailable.class,
                Mxfp4Rule.verdict(new CudaDiscovery.Failed("cuInit returned CUDA_ERROR_NO_DEVICE (100)"))).reason();
        assertTrue(reason.startsWith("MXFP4 needs a CUDA device of compute capability >= 7.5"), reason);
        assertTrue(reason.endsWith("CUDA: cuInit returned CUDA_ERROR_NO_DEVICE (100)"), reason);
        assertFalse(Mxfp4Rule.qualifies(device(0, "GTX 1080", 6, 1)));
    }
}
