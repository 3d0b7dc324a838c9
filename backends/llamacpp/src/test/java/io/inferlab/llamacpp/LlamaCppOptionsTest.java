package io.inferlab.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.inferlab.api.AccelerationType;

class LlamaCppOptionsTest {

    @Test
    void allLayersOnMetalNoneOnCpu() {
        String saved = System.getProperty(LlamaCppOptions.GPU_LAYERS_PROPERTY);
        System.clearProperty(LlamaCppOptions.GPU_LAYERS_PROPERTY);
        try {
            if (System.getenv(LlamaCppOptions.GPU_LAYERS_ENV) == null) {
                assertEquals(-1, LlamaCppOptions.defaults(AccelerationType.METAL).gpuLayers());
                assertEquals(0, LlamaCppOptions.defaults(AccelerationType.CPU).gpuLayers());
            }
            System.setProperty(LlamaCppOptions.GPU_LAYERS_PROPERTY, "7");
            assertEquals(7, LlamaCppOptions.defaults(AccelerationType.METAL).gpuLayers());
            System.setProperty(LlamaCppOptions.GPU_LAYERS_PROPERTY, "many");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LlamaCppOptions.defaults(AccelerationType.CPU));
            assertTrue(e.getMessage().contains("'many'"), e.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty(LlamaCppOptions.GPU_LAYERS_PROPERTY);
            } else {
                System.setProperty(LlamaCppOptions.GPU_LAYERS_PROPERTY, saved);
            }
        }
    }

    @Test
    void gpuLayersBelowMinusOneAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LlamaCppOptions(-2));
    }
}
