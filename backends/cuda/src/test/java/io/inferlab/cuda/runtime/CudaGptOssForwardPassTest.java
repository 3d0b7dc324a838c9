package io.inferlab.cuda.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.model.synthetic.GptOssShape;
import io.inferlab.engine.tensor.GgmlType;

/** What the device pass refuses before it touches a device (the rest needs a GPU: CudaGptOssGpuConformanceTest). */
class CudaGptOssForwardPassTest {
    @TempDir
    Path dir;

    @Test
    void theFixturesWeightTypesAndExpertCountsAreSupported() {
        for (GgmlType dense : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0}) {
            Path p = new GptOssFixture().denseType(dense).write(dir.resolve(dense + ".gguf"));
            try (GgufFile f = GgufFile.open(p)) {
                assertDoesNotThrow(() -> CudaGptOssForwardPass.checkSupported(GptOssModel.load(f)), dense.name());
            }
        }
    }

    @Test
    void moreExpertsPerTokenThanTheSelectionKernelHandlesAreRefusedNamingTheLimit() {
        GptOssShape wide = new GptOssShape(32, 1, 2, 1, 16, 40, 33, 32, GptOssFixture.TOKENS.size(), 8, 64);
        Path p = new GptOssFixture().shape(wide).write(dir.resolve("wide.gguf"));
        try (GgufFile f = GgufFile.open(p)) {
            GptOssModel m = GptOssModel.load(f);
            UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                    () -> CudaGptOssForwardPass.checkSupported(m));
            assertTrue(e.getMessage().contains("40 experts with 33 used") && e.getMessage().contains("at most 32")
                    && e.getMessage().contains("wide.gguf"), e.getMessage());
        }
    }

    @Test
    void aBf16DenseMatrixIsRefusedNamingTheTensor() {
        Path p = new GptOssFixture().denseType(GgmlType.BF16).write(dir.resolve("bf16.gguf"));
        try (GgufFile f = GgufFile.open(p)) {
            GptOssModel m = GptOssModel.load(f);
            UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                    () -> CudaGptOssForwardPass.checkSupported(m));
            assertTrue(e.getMessage().contains("blk.0.attn_q.weight") && e.getMessage().contains("BF16"), e.getMessage());
            assertTrue(e.getMessage().endsWith("(supported: F32, F16, Q4_0, Q8_0, MXFP4)"), e.getMessage());
        }
    }
}
