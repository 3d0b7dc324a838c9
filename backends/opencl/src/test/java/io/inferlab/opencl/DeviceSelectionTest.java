package io.inferlab.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.junit.jupiter.api.Test;

import io.inferlab.api.BackendUnavailableException;

/** Which device {@code --device} and the default pick, on device lists as a probe would report them. */
class DeviceSelectionTest {
    static OpenClDevice device(int platform, int index, String name, String type) {
        return new OpenClDevice(platform, index, new cl_platform_id(), new cl_device_id(), "platform " + platform, "OpenCL 3.0",
                name, "vendor", type, 4, 1L << 30, 1L << 28, 1 << 16, 1024, "OpenCL C 1.2", "OpenCL 3.0", "1", Set.of());
    }

    private final OpenClDevice cpu = device(0, 0, "pthread-cpu", "CPU");
    private final OpenClDevice gpu = device(1, 0, "NVIDIA H100", "GPU");
    private final OpenClDevice accelerator = device(1, 1, "fpga", "ACCELERATOR");

    @Test
    void theDefaultIsTheFirstGpu() {
        assertSame(gpu, DeviceSelection.choose(List.of(cpu, accelerator, gpu), -1));
    }

    @Test
    void withoutAGpuTheDefaultIsTheFirstDevice() {
        assertSame(cpu, DeviceSelection.choose(List.of(cpu, accelerator), -1));
    }

    @Test
    void anIndexPicksThatDeviceOfTheFlatList() {
        assertSame(accelerator, DeviceSelection.choose(List.of(cpu, gpu, accelerator), 2));
        assertSame(cpu, DeviceSelection.choose(List.of(cpu, gpu), 0));
    }

    @Test
    void anIndexBeyondTheListIsRefusedWithTheList() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> DeviceSelection.choose(List.of(cpu, gpu), 2));
        assertEquals("backend 'opencl' has no device 2 (--device): devices are 0 = pthread-cpu (CPU), 1 = NVIDIA H100 (GPU)",
                e.getMessage());
    }
}
