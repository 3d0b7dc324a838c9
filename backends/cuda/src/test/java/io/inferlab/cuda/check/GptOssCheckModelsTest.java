package io.inferlab.cuda.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.model.GptOssConfig;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.tensor.GgmlType;

class GptOssCheckModelsTest {
    @TempDir
    Path dir;

    @Test
    void theConformanceModelHasTheTailsTheCheckIsMeantToExercise() throws Exception {
        Path p = GptOssCheckModels.conformance(GgmlType.F32, false, dir);
        try (GgufFile f = GgufFile.open(p)) {
            GptOssModel m = GptOssModel.load(f);
            GptOssConfig c = m.config();
            assertTrue(c.qDim() > c.dim(), "q wider than dim");
            assertEquals(2, c.heads() / c.kvHeads(), "grouped-query attention");
            assertArrayEquals(new boolean[] {true, false, true}, c.slidingLayers(), "sliding, full, sliding");
            assertTrue(c.slidingWindow() < 64, "64 checked positions cross the window");
            assertEquals(3, c.expertsUsed());
            assertEquals(5, c.expertFfnDim() / 32, "an odd number of quantization blocks per expert row");
            assertEquals(GgmlType.F32, m.weights().layers().getFirst().wq().type());
            assertNotSame(m.weights().tokenEmbedding(), m.weights().output());
            assertEquals(GgmlType.MXFP4, m.weights().layers().getFirst().experts().getFirst().type());
        }
        Path tied = GptOssCheckModels.conformance(GgmlType.Q8_0, true, dir);
        assertFalse(Files.isSameFile(p, tied));
        try (GgufFile f = GgufFile.open(tied)) {
            GptOssModel m = GptOssModel.load(f);
            assertSame(m.weights().tokenEmbedding(), m.weights().output());
            assertEquals(GgmlType.Q8_0, m.weights().layers().getFirst().wq().type());
        }
    }

    @Test
    void theBenchmarkShapeIsAbout1bParametersWithTheRealVocabulary() {
        long params = GptOssCheckModels.BENCH_1B.parameters(false);
        assertTrue(params > 1.0e9 && params < 1.5e9, "parameters " + params);
        assertEquals(201_088, GptOssCheckModels.BENCH_1B.vocabRows());
        assertEquals(4, GptOssCheckModels.BENCH_1B.expertsUsed());
    }
}
