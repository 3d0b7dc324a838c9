package io.inferlab.cuda.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.cuda.check.CheckModels;
import io.inferlab.datasets.models.ModelPreset;
import io.inferlab.datasets.models.SyntheticModelWriter;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.model.GptOssConfig;
import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.model.GptOssWeights;
import io.inferlab.engine.model.LlamaConfig;
import io.inferlab.engine.model.LlamaModel;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;

class DeviceMemoryPlanTest {

    @Test
    void thePlanHoldsEveryWeightOnceTheCacheAndTheActivations(@TempDir Path dir) {
        ModelPreset tied = new ModelPreset("tied", "tied output", 64, 2, 4, 2, 96, 400, 64, 10000f, true);
        Path p = dir.resolve("tied.gguf");
        SyntheticModelWriter.write(tied, GgmlType.Q8_0, p);
        try (GgufFile f = GgufFile.open(p)) {
            LlamaModel m = LlamaModel.load(f);
            LlamaConfig c = m.config();
            DeviceMemoryPlan plan = DeviceMemoryPlan.forLlama(c, m.weights(), 40, 8);
            long matrices = m.weights().matrices().stream().mapToLong(t -> t.data().byteSize()).sum();
            long norms = 4L * c.dim() * (1 + 2L * c.layers());
            assertEquals(matrices + norms, plan.bytesOf("weights"), "the tied embedding is uploaded once");
            assertEquals(2L * 4 * c.layers() * 40 * c.kvDim(), plan.bytesOf("kv cache"));
            assertEquals(2L * 4 * 40 * c.ropeDim() / 2, plan.bytesOf("rope"));
            long act = 4L * 8 * (2 * c.dim() + 2 * c.qDim() + 2 * c.ffnDim() + c.vocabSize() + 1) + 4;
            assertEquals(act, plan.bytesOf("activations"));
            assertEquals(plan.totalBytes(), plan.entries().stream().mapToLong(DeviceMemoryPlan.Entry::bytes).sum());
        }
    }

    @Test
    void aSeparateOutputMatrixIsPlannedToo(@TempDir Path dir) {
        Path p = CheckModels.generate(CheckModels.CONFORMANCE, GgmlType.Q4_0, dir);
        try (GgufFile f = GgufFile.open(p)) {
            LlamaModel m = LlamaModel.load(f);
            DeviceMemoryPlan plan = DeviceMemoryPlan.forLlama(m.config(), m.weights(), 64, 4);
            Tensor out = m.weights().output();
            assertTrue(plan.entries().contains(new DeviceMemoryPlan.Entry("weights: " + out.name(), out.data().byteSize())));
            assertTrue(plan.entries().stream().anyMatch(e -> e.what().equals("weights: token_embd.weight")));
        }
    }

    @Test
    void aModelThatDoesNotFitFailsWithWhatItNeedsAndWhatIsFree() {
        DeviceMemoryPlan plan = new DeviceMemoryPlan(java.util.List.of(
                new DeviceMemoryPlan.Entry("weights: a", 3L << 30), new DeviceMemoryPlan.Entry("kv cache: keys", 1L << 30),
                new DeviceMemoryPlan.Entry("activations: x", 1L << 20)));
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> plan.checkFits("big.gguf", "Tiny GPU", 4L << 30, 8L << 30));
        String m = e.getMessage();
        assertTrue(m.contains("big.gguf") && m.contains("Tiny GPU") && m.contains("4097.0 MiB") && m.contains("3072.0 MiB")
                && m.contains("1024.0 MiB"), m);
        assertDoesNotThrow(() -> plan.checkFits("big.gguf", "Big GPU", 80L << 30, 80L << 30));
        assertEquals(DeviceMemoryPlan.MIN_HEADROOM, DeviceMemoryPlan.headroom(1L << 30));
        assertEquals((80L << 30) / 20, DeviceMemoryPlan.headroom(80L << 30));
    }

    @Test
    void theGptOssPlanHoldsEveryTensorOnceAllExpertsTheBiasesTheCacheAndTheSlots(@TempDir Path dir) {
        for (boolean tied : new boolean[] {false, true}) {
            Path p = new GptOssFixture().denseType(GgmlType.Q8_0).tiedOutput(tied).write(dir.resolve(tied + ".gguf"));
            try (GgufFile f = GgufFile.open(p)) {
                GptOssModel m = GptOssModel.load(f);
                GptOssConfig c = m.config();
                DeviceMemoryPlan plan = DeviceMemoryPlan.forGptOss(c, m.weights(), 48, 16);
                // matrices() lists every dense matrix, every expert's three slices and the output once.
                long matrices = m.weights().matrices().stream().mapToLong(t -> t.data().byteSize()).sum();
                long embedding = tied ? 0 : m.weights().tokenEmbedding().data().byteSize();
                long vectors = 4L * c.dim() + 4L * c.layers() * (2L * c.dim() + c.qDim() + 2L * c.kvDim() + c.dim()
                        + c.heads() + c.experts() + 2L * c.experts() * c.expertFfnDim() + (long) c.experts() * c.dim());
                assertEquals(matrices + embedding + vectors, plan.bytesOf("weights"),
                        tied ? "the tied embedding is the output, uploaded once" : "embedding and output both");
                for (GptOssWeights.Layer l : m.weights().layers()) {
                    for (Tensor t : l.experts()) {
                        assertTrue(plan.entries().contains(new DeviceMemoryPlan.Entry("weights: " + t.name(),
                                t.data().byteSize())), "all experts of " + t.name() + ", as stored");
                        assertEquals(GgmlType.MXFP4, t.type());
                    }
                }
                assertEquals(2L * 4 * c.layers() * 48 * c.kvDim(), plan.bytesOf("kv cache"),
                        "every layer, sliding or not, keeps the whole context");
                assertEquals(2L * 4 * 48 * c.ropeDim() / 2, plan.bytesOf("rope"));
                long slots = 16L * c.expertsUsed();
                long act = 4L * 16 * (2 * c.dim() + 2 * c.qDim() + c.experts() + c.vocabSize() + 1) + 4
                        + 4L * slots * (2 + 2L * c.expertFfnDim() + c.dim());
                assertEquals(act, plan.bytesOf("activations"));
                assertEquals(plan.totalBytes(), plan.bytesOf("weights") + plan.bytesOf("rope")
                        + plan.bytesOf("kv cache") + plan.bytesOf("activations"), "every entry is in one of the groups");
            }
        }
    }

    @Test
    void aGptOssModelThatDoesNotFitFailsNamingItsNeeds(@TempDir Path dir) {
        Path p = new GptOssFixture().write(dir.resolve("oss.gguf"));
        try (GgufFile f = GgufFile.open(p)) {
            GptOssModel m = GptOssModel.load(f);
            DeviceMemoryPlan plan = DeviceMemoryPlan.forGptOss(m.config(), m.weights(), 1024, 64);
            long free = DeviceMemoryPlan.MIN_HEADROOM + plan.totalBytes() - 1;
            UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                    () -> plan.checkFits("oss.gguf", "Small GPU", free, 2 * free));
            assertTrue(e.getMessage().contains("oss.gguf does not fit on Small GPU")
                    && e.getMessage().contains("KV cache"), e.getMessage());
            assertDoesNotThrow(() -> plan.checkFits("oss.gguf", "Small GPU", free + 1, 2 * free));
        }
    }
}
