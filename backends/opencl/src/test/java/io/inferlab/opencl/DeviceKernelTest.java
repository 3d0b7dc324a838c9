package io.inferlab.opencl;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.inferlab.engine.kernels.ScalarKernels;

/**
 * The fixture of the kernel tests on the OpenCL test device: a fresh arena and its ops for each
 * test, released after it, and the scalar reference the kernels are checked against. Each
 * subclass carries {@link OpenClTestDevice}'s {@code @EnabledIf} itself, where a reader sees it.
 */
abstract class DeviceKernelTest {
    final ScalarKernels ref = new ScalarKernels();
    DeviceArena arena;
    OpenClOps ops;

    @BeforeEach
    void open() {
        arena = new DeviceArena(OpenClTestDevice.context());
        ops = new OpenClOps(arena);
    }

    @AfterEach
    void close() {
        arena.close();
    }
}
