package io.inferlab.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.SamplingParams;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.model.ForwardPass;
import io.inferlab.engine.model.TinyLlamaFixture;

/**
 * The generation loop over a {@link DeviceForwardPass}: greedy requests take the next token from
 * {@link DeviceForwardPass#forwardArgmax} (a device reads back one int), sampled ones read the
 * logits; either way the tokens equal the host loop's.
 */
class DeviceArgmaxLoopTest {
    @TempDir
    Path dir;

    /** The scalar forward pass dressed as a device pass, counting which entry point the loop uses. */
    static final class CountingPass implements DeviceForwardPass {
        final ForwardPass pass;
        int forwards;
        int argmaxes;

        CountingPass(ForwardPass pass) {
            this.pass = pass;
        }

        @Override
        public String description() {
            return "counting";
        }

        @Override
        public float[] forward(int[] tokens, int from, int count, int pos) {
            forwards++;
            return pass.forward(tokens, from, count, pos);
        }

        @Override
        public int forwardArgmax(int[] tokens, int from, int count, int pos) {
            argmaxes++;
            return DeviceForwardPass.super.forwardArgmax(tokens, from, count, pos);
        }

        @Override
        public void forwardAll(int[] tokens, int from, int count, int pos, float[][] out, int outFrom) {
            pass.forwardAll(tokens, from, count, pos, out, outFrom);
        }

        @Override
        public int contextLength() {
            return pass.contextLength();
        }

        @Override
        public int maxBatch() {
            return pass.maxBatch();
        }

        @Override
        public int vocabSize() {
            return pass.vocabSize();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void greedyRequestsUseTheDeviceArgmaxAndSampledOnesTheLogits() {
        Path model = new TinyLlamaFixture().write(dir.resolve("tiny.gguf"));
        CountingPass[] made = new CountingPass[1];
        GenerationRequest greedy = GenerationRequest.ofTokens(new int[] {1, 280, 290}, 10).withStopAtEos(false);
        GenerationRequest sampled = greedy.withSampling(new SamplingParams(0.9f, 20, 0.9f, 3));
        try (EngineBackend device = EngineBackend.open("device", AccelerationType.OPENCL, model, BackendOptions.defaults(),
                EngineBackend.DEFAULT_CONTEXT_CAP, (m, ctx, batch) -> made[0] = new CountingPass(
                        m.forwardPass(new ScalarKernels(), ctx, batch)));
             EngineBackend host = EngineBackend.open("host", AccelerationType.CPU, model, BackendOptions.defaults(),
                     n -> new ScalarKernels())) {
            assertArrayEquals(host.generate(greedy, (t, p) -> { }).tokens(), device.generate(greedy, (t, p) -> { }).tokens());
            assertEquals(10, made[0].argmaxes, "one prefill batch, then one call per token after the first");
            assertEquals(10, made[0].forwards, "the default forwardArgmax reads the logits through forward");

            made[0].argmaxes = 0;
            made[0].forwards = 0;
            assertArrayEquals(host.generate(sampled, (t, p) -> { }).tokens(), device.generate(sampled, (t, p) -> { }).tokens());
            assertEquals(0, made[0].argmaxes);
            assertEquals(10, made[0].forwards);
        }
    }
}
