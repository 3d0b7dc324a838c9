package io.inferlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The checks every forward pass (engine, OpenCL, CUDA) makes of a batch, with the message that names what is wrong. */
class ForwardPassTest {
    private static final int MAX_BATCH = 4;
    private static final int CONTEXT = 8;
    private static final int VOCAB = 10;

    @Test
    void aBatchWithinEveryLimitPasses() {
        assertDoesNotThrow(() -> ForwardPass.checkBatch(new int[] {7, 0, 9, 3, 5}, 1, 4, 4, MAX_BATCH, CONTEXT, VOCAB));
    }

    @Test
    void batchSizeOutsideOneToMaxBatch() {
        assertEquals("batch of 0 tokens (1..4 allowed)", message(new int[] {1}, 0, 0, 0));
        assertEquals("batch of 5 tokens (1..4 allowed)", message(new int[] {1, 1, 1, 1, 1}, 0, 5, 0));
    }

    @Test
    void positionsPastTheContextOrNegative() {
        assertEquals("positions 6..8 exceed the context of 8", message(new int[] {1, 1, 1}, 0, 3, 6));
        assertEquals("positions -1..-1 exceed the context of 8", message(new int[] {1}, 0, 1, -1));
    }

    @Test
    void tokenIdsOutsideTheVocabulary() {
        assertEquals("token id 10 is outside the vocabulary (0..9)", message(new int[] {99, 1, 10}, 1, 2, 0));
        assertEquals("token id -1 is outside the vocabulary (0..9)", message(new int[] {-1}, 0, 1, 0));
    }

    private static String message(int[] tokens, int from, int n, int pos) {
        return assertThrows(IllegalArgumentException.class,
                () -> ForwardPass.checkBatch(tokens, from, n, pos, MAX_BATCH, CONTEXT, VOCAB)).getMessage();
    }
}
