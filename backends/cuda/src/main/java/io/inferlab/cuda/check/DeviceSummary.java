package io.inferlab.cuda.check;

import java.util.Locale;

import io.inferlab.cuda.CudaDevice;
import io.inferlab.cuda.CudaDiscovery;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * What the check reports about the device, including its peak memory bandwidth (the decode
 * roofline): 2 (DDR/HBM transfers per clock) x memory clock x bus width, from the driver's
 * attributes; when the driver does not report them, the datasheet figure for known parts.
 */
public record DeviceSummary(String name, String computeCapability, long totalMemoryBytes, int multiprocessors,
                            String driverRelease, String driverCudaVersion, String mxfp4Verdict,
                            double peakBandwidthBytesPerSecond, String bandwidthSource) {

    static DeviceSummary of(CudaDiscovery.Found found, CudaDevice d, String mxfp4Verdict) {
        double[] bw = bandwidth(d);
        return new DeviceSummary(d.name(), d.computeCapability(), d.totalMemoryBytes(), d.multiprocessors(),
                found.driverRelease(), found.driverCudaVersion(), mxfp4Verdict, bw[0],
                bw[1] == 1 ? "driver attributes (2 x memory clock x bus width)"
                        : bw[1] == 2 ? "NVIDIA datasheet for the part name" : "unknown");
    }

    /** {bytes/s, source: 1 driver, 2 datasheet, 0 unknown}. */
    static double[] bandwidth(CudaDevice d) {
        try {
            CUdevice dev = new CUdevice();
            int[] clockKhz = new int[1];
            int[] busBits = new int[1];
            if (JCudaDriver.cuDeviceGet(dev, d.index()) == CUresult.CUDA_SUCCESS
                    && JCudaDriver.cuDeviceGetAttribute(clockKhz, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE,
                    dev) == CUresult.CUDA_SUCCESS
                    && JCudaDriver.cuDeviceGetAttribute(busBits,
                    CUdevice_attribute.CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH, dev) == CUresult.CUDA_SUCCESS
                    && clockKhz[0] > 0 && busBits[0] > 0) {
                return new double[] {2.0 * clockKhz[0] * 1e3 * busBits[0] / 8.0, 1};
            }
        } catch (RuntimeException | LinkageError e) {
            // fall through to the datasheet
        }
        return new double[] {datasheet(d.name()), datasheet(d.name()) > 0 ? 2 : 0};
    }

    /** Peak HBM bandwidth from NVIDIA's product pages (SXM parts). */
    static double datasheet(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.contains("H200")) {
            return 4.8e12;
        }
        if (n.contains("H100")) {
            return n.contains("PCIE") ? 2.0e12 : 3.35e12;
        }
        if (n.contains("A100")) {
            return 2.0e12;
        }
        return 0;
    }

    String oneLine() {
        return String.format(Locale.ROOT, "%s: compute capability %s, %d SMs, %.1f GiB, driver %s (CUDA %s), "
                        + "peak memory bandwidth %.0f GB/s (%s); MXFP4: %s", name, computeCapability, multiprocessors,
                totalMemoryBytes / (double) (1L << 30), driverRelease.isEmpty() ? "release unknown" : driverRelease,
                driverCudaVersion, peakBandwidthBytesPerSecond / 1e9, bandwidthSource, mxfp4Verdict);
    }
}
