package io.inferlab.opencl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.inferlab.api.UnsupportedModelException;

/** The load-time memory check's verdicts and messages, without a device. */
class MemoryPlanTest {
    static final Path MODEL = Path.of("m.gguf");

    private static MemoryPlan plan() {
        return new MemoryPlan()
                .add("tensor 'token_embd.weight'", MemoryPlan.Kind.WEIGHTS, 3L << 30)
                .add("tensor 'blk.0.attn_q.weight'", MemoryPlan.Kind.WEIGHTS, 1L << 30)
                .add("the key cache of layer 0", MemoryPlan.Kind.KV_CACHE, 512L << 20)
                .add("the attention scores", MemoryPlan.Kind.WORK, 4L << 30);
    }

    @Test
    void theLargestWeightOverTheBufferLimitIsNamedBeforeAnyWorkBuffer() {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> plan().check(new DeviceLimits(2L << 30, 64L << 30), "gpu", MODEL, 4096));
        assertEquals("m.gguf does not fit on OpenCL device 'gpu': tensor 'token_embd.weight' needs 3.00 GiB in one buffer, "
                + "the device allows at most 2.00 GiB per buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE)", e.getMessage());
    }

    @Test
    void aWorkBufferOverTheLimitSuggestsASmallerContext() {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> plan().check(new DeviceLimits(3L << 30, 64L << 30), "gpu", MODEL, 4096));
        assertEquals("m.gguf does not fit on OpenCL device 'gpu': the attention scores needs 4.00 GiB in one buffer, "
                + "the device allows at most 3.00 GiB per buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE); a smaller --context may "
                + "make it fit", e.getMessage());
    }

    @Test
    void theTotalOverTheDeviceMemoryIsBrokenDown() {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> plan().check(new DeviceLimits(4L << 30, 8L << 30), "gpu", MODEL, 4096));
        assertEquals("m.gguf does not fit on OpenCL device 'gpu': it needs 8.50 GiB of device memory (weights 4.00 GiB, "
                + "KV cache of 4096 positions 512.0 MiB, work buffers 4.00 GiB), the device has 8.00 GiB "
                + "(CL_DEVICE_GLOBAL_MEM_SIZE); the weights alone fit, so a smaller --context (a shorter KV cache) may make "
                + "it fit", e.getMessage());
    }

    @Test
    void weightsLargerThanTheDeviceGetNoContextHint() {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> plan().check(new DeviceLimits(4L << 30, 3L << 30), "gpu", MODEL, 4096));
        assertEquals(false, e.getMessage().contains("--context"), e.getMessage());
    }

    @Test
    void aPlanThatFitsPasses() {
        assertDoesNotThrow(() -> plan().check(new DeviceLimits(4L << 30, 9L << 30), "gpu", MODEL, 4096));
        assertEquals(8704L << 20, plan().totalBytes());
    }

    @Test
    void sizesReadNaturally() {
        assertEquals("12 bytes", MemoryPlan.size(12));
        assertEquals("300 KiB", MemoryPlan.size(300 << 10));
        assertEquals("12.5 MiB", MemoryPlan.size(25L << 19));
        assertEquals("1.50 GiB", MemoryPlan.size(3L << 29));
    }
}
