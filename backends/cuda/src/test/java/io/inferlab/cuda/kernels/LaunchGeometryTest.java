package io.inferlab.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LaunchGeometryTest {

    @Test
    void matmulCoversEveryRowWithOneWarpAndEveryTokenWithATileOfEight() {
        LaunchGeometry g = LaunchGeometry.matmul(33, 9);
        assertEquals(9, g.gridX(), "33 rows at 4 warps per block: 9 blocks, the last with one row");
        assertEquals(2, g.gridY(), "9 tokens in tiles of 8: 2 tiles");
        assertEquals(128, g.blockX());
        assertEquals(1, LaunchGeometry.matmul(1, 1).gridX());
        assertEquals(1, LaunchGeometry.matmul(4, 8).gridY());
        assertEquals(8000, LaunchGeometry.matmul(32000, 1).gridX());
    }

    @Test
    void elementwiseAndPerTokenLaunchesCoverTheirElements() {
        assertEquals(4, LaunchGeometry.elementwise(1001).gridX());
        assertEquals(1, LaunchGeometry.elementwise(1).gridX());
        assertEquals(5, LaunchGeometry.perToken(5).gridX());
        LaunchGeometry rope = LaunchGeometry.rope(3, 6, 32);
        assertEquals(3, rope.gridX());
        assertEquals(6, rope.gridY());
        assertTrue(rope.blockX() % 32 == 0 && rope.blockX() >= 16);
    }

    @Test
    void attentionKeepsOneScorePerCachedPositionInSharedMemory() {
        LaunchGeometry g = LaunchGeometry.attention(32, 5, 2048);
        assertEquals(32, g.gridX());
        assertEquals(5, g.gridY());
        assertEquals(2048 * 4, g.sharedBytes());
        int max = LaunchGeometry.maxAttentionContext();
        LaunchGeometry.attention(1, 1, max);
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.attention(1, 1, 48 * 1024));
        assertTrue(max >= 4096, "the default context cap fits");
    }

    @Test
    void badGeometriesAreRejectedWithTheNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(1, 1, 1, 2048, 0));
        assertTrue(e.getMessage().contains("2048"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.matmul(0, 1));
    }

    @Test
    void theExpertMatmulHasOneWarpPerRowAndOneGridRowPerSlot() {
        LaunchGeometry g = LaunchGeometry.matmulId(1025, 12);
        assertEquals(257, g.gridX(), "1025 rows at 4 warps per block");
        assertEquals(12, g.gridY(), "3 tokens x 4 experts: one grid row per slot");
        assertEquals(LaunchGeometry.MATMUL_WARPS * 32, g.blockX());
        assertEquals(64 * 4, LaunchGeometry.matmulId(2880, 64 * 4).gridY(), "a full prefill batch of gpt-oss's top-4");
    }

    @Test
    void perRowLaunchesCoverEveryValueOfEveryRow() {
        LaunchGeometry g = LaunchGeometry.perRow(2880, 5);
        assertEquals(12, g.gridX(), "2880 values in blocks of 256");
        assertEquals(5, g.gridY());
        assertEquals(LaunchGeometry.BLOCK, g.blockX());
        assertEquals(1, LaunchGeometry.perRow(1, 1).gridX());
    }

    @Test
    void expertSelectionIsOneWarpPerToken() {
        LaunchGeometry g = LaunchGeometry.moeTopK(7);
        assertEquals(7, g.gridX());
        assertEquals(32, g.blockX(), "moe_topk_f32 reduces with warp shuffles only");
        assertEquals(0, g.sharedBytes(), "its shared memory is static");
        assertEquals(4096, LaunchGeometry.MAX_MOE_EXPERTS, "MOE_MAX_EXPERTS in moe_topk_f32.cu");
        assertEquals(32, LaunchGeometry.MAX_MOE_USED, "one selected expert per lane at most");
    }

    @Test
    void gridsBeyondCudasYLimitAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchGeometry.perRow(10, LaunchGeometry.MAX_GRID_YZ + 1));
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
        LaunchGeometry.perRow(10, LaunchGeometry.MAX_GRID_YZ);
    }
}
