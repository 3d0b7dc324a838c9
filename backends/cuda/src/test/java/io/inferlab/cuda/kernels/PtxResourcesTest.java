package io.inferlab.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.inferlab.engine.tensor.GgmlType;

class PtxResourcesTest {
    private static final Path SOURCES = Path.of("src", "main", "cuda");
    private static final Path COMMITTED_PTX = Path.of("src", "main", "resources", "io", "inferlab", "cuda", "ptx");

    @ParameterizedTest
    @EnumSource(CudaKernel.class)
    void everyKernelsPtxIsPackagedWellFormedAndDeclaresExactlyItsEntryPoint(CudaKernel k) {
        byte[] module = Ptx.load(k);
        assertEquals(0, module[module.length - 1], "cuModuleLoadData needs NUL-terminated PTX");
        String ptx = Ptx.text(module);
        assertEquals(List.of(k.entry()), Ptx.entryPoints(ptx), k.resource());
        assertEquals("sm_75", Ptx.target(ptx), "PTX for compute_75 JIT-compiles on Turing and every newer GPU");
        assertTrue(Ptx.version(ptx).matches("\\d+\\.\\d+"), "a .version line: " + Ptx.version(ptx));
        assertTrue(ptx.contains(".address_size 64"), k.resource());
    }

    @Test
    void theKernelTableMatchesTheSourcesOneOpPerFile() throws IOException {
        List<String> sources;
        try (Stream<Path> s = Files.list(SOURCES)) {
            sources = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        }
        List<String> table = Arrays.stream(CudaKernel.values()).map(CudaKernel::entry).sorted().toList();
        assertEquals(sources, table);
    }

    @Test
    void theCommittedPtxCoversEveryKernelSoBuildsWithoutNvccShipWorkingKernels() {
        for (CudaKernel k : CudaKernel.values()) {
            assertTrue(Files.isRegularFile(COMMITTED_PTX.resolve(k.entry() + ".ptx")), k.entry());
        }
    }

    @Test
    void everyWeightTypeButBf16HasAMatmulAndAnEmbeddingKernel() {
        for (GgmlType t : GgmlType.values()) {
            assertEquals(t != GgmlType.BF16, CudaKernel.matmul(t).isPresent(), t.name());
            assertEquals(t != GgmlType.BF16, CudaKernel.getRows(t).isPresent(), t.name());
        }
    }

    @Test
    void everyWeightTypeButBf16HasAnExpertMatmulInItsOwnFile() {
        for (GgmlType t : GgmlType.values()) {
            assertEquals(t != GgmlType.BF16, CudaKernel.matmulId(t).isPresent(), t.name());
            CudaKernel.matmulId(t).ifPresent(k -> assertTrue(Files.isRegularFile(SOURCES.resolve(k.entry() + ".cu")),
                    k.entry()));
        }
        assertEquals(CudaKernel.MATMUL_ID_MXFP4, CudaKernel.matmulId(GgmlType.MXFP4).orElseThrow());
    }

    @Test
    void entryPointsAreParsedFromNvccsDeclarations() {
        String ptx = """
                .version 9.0
                .target sm_75
                .address_size 64
                .visible .entry matmul_q8_0(
                \t.param .u64 matmul_q8_0_param_0
                )
                .visible .entry add_f32 (
                """;
        assertEquals(List.of("matmul_q8_0", "add_f32"), Ptx.entryPoints(ptx));
        assertEquals("9.0", Ptx.version(ptx));
        assertEquals("sm_75", Ptx.target(ptx));
        assertFalse(Ptx.entryPoints(".func helper(").contains("helper"), "device functions are not entry points");
    }

    @Test
    void textDropsTheTerminatingNul() {
        assertEquals("abc", Ptx.text(new byte[] {'a', 'b', 'c', 0}));
    }
}
