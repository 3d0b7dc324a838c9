package io.inferlab.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.model.TinyLlamaFixture;
import io.inferlab.engine.tensor.GgmlType;

/**
 * Loading on the real device: a model larger than the device's largest buffer or its memory
 * (limits lowered through the factory's test constructor) fails at load with the sizes, a device
 * that runs out of memory half-way is reported the same way, and every OpenCL object created
 * until then is released; the compiled programs are shared by the next backend; closing frees
 * everything.
 */
@EnabledIf(value = "io.inferlab.opencl.OpenClTestDevice#available", disabledReason = OpenClTestDevice.SKIP_REASON)
class OpenClLoadTest {
    @TempDir
    Path dir;

    private Path tinyModel(GgmlType type) {
        return new TinyLlamaFixture().type(type).write(dir.resolve(type + ".gguf"));
    }

    private static InferenceBackend open(Path model, OpenClPassFactory factory) {
        return OpenClBackendProvider.open(ModelSource.gguf(model), BackendOptions.defaults(), factory);
    }

    @Test
    void aTensorLargerThanTheLargestBufferFailsAtLoadNamingTheSizesAndReleasesEverything() {
        Path model = tinyModel(GgmlType.F32);
        int before = DeviceArena.live();
        // The token embedding and the output (300 x 64 floats = 75 KiB each) are the largest
        // weights; allow 64 KiB per buffer.
        OpenClPassFactory factory = new OpenClPassFactory(OpenClTestDevice.device(), new DeviceLimits(64 << 10, 1L << 40), 0);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> open(model, factory));
        assertTrue(e.getMessage().contains("F32.gguf does not fit on OpenCL device")
                && e.getMessage().matches(".*tensor '(token_embd|output)\\.weight' needs 75 KiB in one buffer.*")
                && e.getMessage().contains("at most 64 KiB per buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE)"), e.getMessage());
        assertFalse(e.getMessage().matches(".*CL_[A-Z_]+ \\(-\\d+\\).*"), "no bare OpenCL error code: " + e.getMessage());
        assertEquals(before, DeviceArena.live(), "the queue and kernels created before the check are released");
    }

    @Test
    void aModelLargerThanTheDeviceMemoryFailsAtLoadWithTheBreakdown() {
        Path model = tinyModel(GgmlType.Q8_0);
        int before = DeviceArena.live();
        OpenClPassFactory factory = new OpenClPassFactory(OpenClTestDevice.device(), new DeviceLimits(1L << 30, 100 << 10), 0);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> open(model, factory));
        assertTrue(e.getMessage().matches(".*needs [0-9.]+ (KiB|MiB) of device memory \\(weights \\d+ KiB, KV cache of 128 "
                + "positions \\d+ KiB, work buffers .*\\), the device has 100 KiB \\(CL_DEVICE_GLOBAL_MEM_SIZE\\).*"),
                e.getMessage());
        assertEquals(before, DeviceArena.live());
    }

    @Test
    void whenOnlyTheKvCacheDoesNotFitTheMessageSuggestsASmallerContext() {
        Path model = tinyModel(GgmlType.Q4_0);
        // Weights and work buffers take about a MiB; the KV cache of 128 positions 128 KiB.
        OpenClPassFactory probe = new OpenClPassFactory(OpenClTestDevice.device());
        long needed;
        try (InferenceBackend b = open(model, probe)) {
            needed = b.deviceMemoryBytes().orElseThrow();
        }
        long kvCache = 2L * TinyLlamaFixture.LAYERS * 128 * (TinyLlamaFixture.DIM / 2) * Float.BYTES;
        OpenClPassFactory small = new OpenClPassFactory(OpenClTestDevice.device(),
                new DeviceLimits(1L << 30, needed - kvCache / 2), 0);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> open(model, small));
        assertTrue(e.getMessage().contains("a smaller --context"), e.getMessage());
    }

    @Test
    void runningOutOfDeviceMemoryHalfWayReleasesTheBuffersAlreadyUploaded() {
        Path model = tinyModel(GgmlType.Q8_0);
        int before = DeviceArena.live();
        // The 6th buffer (a weight of layer 0) fails as on a full device, after five were uploaded.
        OpenClPassFactory factory = new OpenClPassFactory(OpenClTestDevice.device(),
                DeviceLimits.of(OpenClTestDevice.device()), 6);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> open(model, factory));
        assertTrue(e.getMessage().contains("out of device memory after")
                && e.getMessage().contains("allocating") && e.getMessage().contains("the model needs"), e.getMessage());
        assertEquals(before, DeviceArena.live(), "the uploaded weights, kernels and queue are released");
    }

    @Test
    void closingReleasesEveryObjectAndASecondBackendReusesTheCompiledPrograms() {
        Path model = tinyModel(GgmlType.F16);
        int before = DeviceArena.live();
        try (InferenceBackend first = open(model, new OpenClPassFactory(OpenClTestDevice.device()))) {
            first.generate(GenerationRequest.ofTokens(new int[] {1, 5}, 3), (t, p) -> { });
            assertTrue(DeviceArena.live() > before);
            int builds = OpenClTestDevice.context().builds();
            try (InferenceBackend second = open(model, new OpenClPassFactory(OpenClTestDevice.device()))) {
                second.generate(GenerationRequest.ofTokens(new int[] {1, 5}, 3), (t, p) -> { });
            }
            assertEquals(builds, OpenClTestDevice.context().builds(), "the second backend built no program");
        }
        assertEquals(before, DeviceArena.live());
    }

    @Test
    void aBrokenKernelReportsTheDevicesBuildLog() {
        KernelBuildException e = assertThrows(KernelBuildException.class, () -> OpenClTestDevice.context()
                .build("broken.cl", "kernel void broken(global float* x) { x[0] = undeclared_value; }"));
        assertTrue(e.getMessage().startsWith("OpenCL program broken.cl failed to build for device '"), e.getMessage());
        assertTrue(e.buildLog().contains("undeclared_value"), e.buildLog());
    }

    @Test
    void aGptOssModelTooLargeForTheDeviceFailsAtLoadAndReleasesEverything() {
        Path model = new GptOssFixture().write(dir.resolve("oss.gguf"));
        int before = DeviceArena.live();
        OpenClPassFactory factory = new OpenClPassFactory(OpenClTestDevice.device(), new DeviceLimits(1L << 30, 200 << 10), 0);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> open(model, factory));
        assertTrue(e.getMessage().contains("oss.gguf does not fit on OpenCL device")
                && e.getMessage().contains("the device has 200 KiB (CL_DEVICE_GLOBAL_MEM_SIZE)"), e.getMessage());
        assertEquals(before, DeviceArena.live(), "the queue and kernels created before the check are released");
        // Out of memory half-way (an expert's buffer of layer 0) releases the uploaded weights too.
        OpenClPassFactory failing = new OpenClPassFactory(OpenClTestDevice.device(),
                DeviceLimits.of(OpenClTestDevice.device()), 20);
        UnsupportedModelException oom = assertThrows(UnsupportedModelException.class, () -> open(model, failing));
        assertTrue(oom.getMessage().contains("out of device memory after"), oom.getMessage());
        assertEquals(before, DeviceArena.live());
    }

    @Test
    void theBackendReportsTheDeviceMemoryOfItsPlanAndNoneAfterClose() {
        Path model = new GptOssFixture().write(dir.resolve("oss.gguf"));
        InferenceBackend b = open(model, new OpenClPassFactory(OpenClTestDevice.device()));
        long bytes;
        try {
            bytes = b.deviceMemoryBytes().orElseThrow();
            // The compute mode prints the same figure; the weights alone are the file's tensor bytes.
            assertTrue(b.computeMode().contains(MemoryPlan.size(bytes) + " on the device"), b.computeMode());
            assertTrue(bytes > b.model().weightBytes() / 2, bytes + " vs weights " + b.model().weightBytes());
        } finally {
            b.close();
        }
        assertEquals(0L, b.deviceMemoryBytes().orElseThrow());
    }

    @Test
    void aDeviceIndexBeyondTheListNamesTheDevices() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> new OpenClBackendProvider().open(ModelSource.gguf(tinyModel(GgmlType.F32)),
                        new BackendOptions(0, 99, 0, false)));
        assertTrue(e.getMessage().startsWith("backend 'opencl' has no device 99 (--device): devices are 0 = "),
                e.getMessage());
    }

    @Test
    void deviceZeroIsTheFirstDeviceOfTheProbe() {
        try (InferenceBackend b = new OpenClBackendProvider().open(ModelSource.gguf(tinyModel(GgmlType.F32)),
                new BackendOptions(0, 0, 0, false))) {
            OpenClDevice first = assertInstanceOf(OpenClDiscovery.Found.class, OpenClProbe.discover()).devices().getFirst();
            assertTrue(b.computeMode().contains(first.name()), b.computeMode());
        }
    }
}
