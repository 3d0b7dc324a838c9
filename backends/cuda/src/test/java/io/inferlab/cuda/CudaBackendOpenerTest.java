package io.inferlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.ModelSource;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.cuda.check.CheckModels;
import io.inferlab.cuda.runtime.CudaGptOssForwardPass;
import io.inferlab.cuda.runtime.CudaLlamaForwardPass;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.model.Model;
import io.inferlab.engine.model.Models;
import io.inferlab.engine.tensor.GgmlType;

/** The opener's choice of device forward pass per architecture and provider, made before any device is touched. */
class CudaBackendOpenerTest {
    @TempDir
    Path dir;

    private CudaBackendOpener.PassChoice choose(String id, boolean mxfp4, Path file) {
        try (GgufFile f = GgufFile.open(file)) {
            Model m = Models.load(f);
            return CudaBackendOpener.forwardPass(id, mxfp4, ModelSource.gguf(file), m);
        }
    }

    @Test
    void llamaRunsOnTheLlamaPass() {
        Path llama = CheckModels.generate(CheckModels.CONFORMANCE, GgmlType.Q8_0, dir);
        assertEquals(CudaLlamaForwardPass.class, choose(CudaBackendProvider.ID, false, llama).pass());
    }

    @Test
    void gptOssRunsOnTheGptOssPassOnBothProviders() {
        Path oss = new GptOssFixture().denseType(GgmlType.Q8_0).write(dir.resolve("oss.gguf"));
        assertEquals(CudaGptOssForwardPass.class, choose(CudaBackendProvider.ID, false, oss).pass());
        assertEquals(CudaGptOssForwardPass.class, choose(Mxfp4BackendProvider.ID, true, oss).pass(),
                "cuda-mxfp4 takes gpt-oss: its experts are MXFP4");
    }

    @Test
    void theMxfp4ProviderRefusesALlamaWithoutMxfp4WeightsNamingTheOtherProvider() {
        Path llama = CheckModels.generate(CheckModels.CONFORMANCE, GgmlType.Q4_0, dir);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> choose(Mxfp4BackendProvider.ID, true, llama));
        assertTrue(e.getMessage().contains("has none") && e.getMessage().contains("'cuda'"), e.getMessage());
    }

    @Test
    void aGptOssModelTheKernelsCannotRunIsRefusedBeforeAnyContextExists() {
        Path bf16 = new GptOssFixture().denseType(GgmlType.BF16).write(dir.resolve("bf16.gguf"));
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> choose(CudaBackendProvider.ID, false, bf16));
        assertTrue(e.getMessage().contains("BF16"), e.getMessage());
    }
}
