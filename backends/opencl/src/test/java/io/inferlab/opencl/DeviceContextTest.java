package io.inferlab.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kernel sources as a program is built from them: includes spliced in, each file once (no device needed). */
class DeviceContextTest {

    @ParameterizedTest
    @ValueSource(strings = {"matvec_q4_0.cl", "matvec_q8_0.cl", "matvec_mxfp4.cl", "matmul_q4_0.cl", "matmul_q8_0.cl",
            "matmul_mxfp4.cl"})
    void aQuantizedProductIsItsBlockAndTheSharedBodyInOneString(String file) {
        String source = DeviceContext.source(file);
        assertFalse(source.contains("#include"), source);
        assertEquals(1, count(source, "typedef struct"), "quant_common.cl, once, though two files include it");
        assertEquals(1, count(source, "inline void matvec_row_sum"), "reduce.cl, once");
        assertEquals(1, count(source, "#define BLOCK_BYTES"));
        assertTrue(source.contains("#define TYPE " + file.substring(7, file.length() - 3)), source);
        assertEquals(2, count(source, "kernel void PASTE("), "the plain and the _split kernel");
    }

    @ParameterizedTest
    @ValueSource(strings = {"matvec_f32.cl", "matvec_f16.cl", "matvec_bf16.cl", "matmul_f32.cl", "matmul_f16.cl",
            "matmul_bf16.cl"})
    void aDenseProductIsItsLoadsAndTheSharedBodyInOneString(String file) {
        String source = DeviceContext.source(file);
        assertFalse(source.contains("#include"), source);
        assertEquals(1, count(source, "#define ELEM"));
        assertEquals(1, count(source, "inline void matvec_row_sum"), "reduce.cl, once");
        assertEquals(1, count(source, "kernel void PASTE("));
    }

    @Test
    void aSourceWithoutIncludesIsItsFile() {
        String source = DeviceContext.source("swiglu.cl");
        assertTrue(source.contains("kernel void swiglu"), source);
    }

    @Test
    void aMissingSourceIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DeviceContext.source("nope.cl"));
        assertTrue(e.getMessage().contains("/io/inferlab/opencl/kernels/nope.cl"), e.getMessage());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
