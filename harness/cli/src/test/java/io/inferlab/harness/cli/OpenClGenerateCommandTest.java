package io.inferlab.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.inferlab.api.BackendProvider;
import io.inferlab.api.ProbeResult;
import io.inferlab.engine.SharedModels;
import io.inferlab.harness.backends.Backends;

/**
 * {@code inferlab generate --backend opencl} end to end, in process, on the OpenCL device of this
 * host (PoCL's CPU device in CI): the greedy text of the shared models, and {@code --device}.
 * Skipped with the probe's reason where no OpenCL platform is installed.
 */
class OpenClGenerateCommandTest {

    private static void assumeOpenCl() {
        BackendProvider opencl = Backends.discover().byId("opencl");
        ProbeResult probe = opencl.probe();
        assumeTrue(probe instanceof ProbeResult.Available, () -> "skipped: OpenCL is unavailable here ("
                + ((ProbeResult.Unavailable) probe).reason() + "); CI installs pocl-opencl-icd");
    }

    private static MainTest.Run generate(Path model, String... extra) {
        String[] base = {"generate", "--backend", "opencl", "--model", model.toString(), "--prompt",
                SharedModels.STORIES_PROMPT, "--max-tokens", "100", "--temperature", "0"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return MainTest.run(args);
    }

    @Test
    void f32GreedyPrintsTheReferenceTextExactly() {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        assumeOpenCl();
        MainTest.Run r = generate(model);
        assertEquals(0, r.code(), r.err());
        assertEquals(SharedModels.STORIES_REFERENCE_TEXT + "\n", r.out());
        assertTrue(r.err().contains("prompt tokens: 5") && r.err().contains("decode"), r.err());
    }

    @Test
    void q8_0GreedyPrintsTheSameTextAsTheCpuBackend() {
        Path model = SharedModels.require(SharedModels.STORIES_Q8_0);
        assumeOpenCl();
        MainTest.Run cpu = MainTest.run("generate", "--backend", "cpu", "--model", model.toString(), "--prompt",
                SharedModels.STORIES_PROMPT, "--max-tokens", "100", "--temperature", "0");
        MainTest.Run opencl = generate(model, "--device", "0");
        assertEquals(0, opencl.code(), opencl.err());
        assertEquals(cpu.out(), opencl.out());
        assertEquals(SharedModels.STORIES_REFERENCE_TEXT + "\n", opencl.out());
    }

    @Test
    void aDeviceThatDoesNotExistIsOneLineAndExitOne() {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        assumeOpenCl();
        MainTest.Run r = generate(model, "--device", "42");
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("backend 'opencl' has no device 42 (--device): devices are 0 = "), r.err());
    }
}
