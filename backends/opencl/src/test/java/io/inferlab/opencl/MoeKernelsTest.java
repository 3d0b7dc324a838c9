package io.inferlab.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.jocl.cl_mem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The kernels around gpt-oss's experts (add_rows.cl, moe_gather.cl, moe_scatter.cl) and the
 * host's top-k: data movement and one multiply-add per value, so the device must match the
 * engine's scalar arithmetic bit for bit.
 */
@EnabledIf(value = "io.inferlab.opencl.OpenClTestDevice#available", disabledReason = OpenClTestDevice.SKIP_REASON)
class MoeKernelsTest extends DeviceKernelTest {

    @Test
    void addRowsAddsTheBiasToEveryRowExactly() {
        SplittableRandom random = new SplittableRandom(1);
        int n = 37;
        int stride = 45; // rows with a gap, as K/V rows inside the cache
        int rows = 5;
        int yOff = 6;
        float[] y = OpenClTestDevice.floats(yOff + rows * stride, random);
        float[] bias = OpenClTestDevice.floats(3 * n, random); // expert 2's biases at 2 * n
        cl_mem yb = arena.buffer("y", (long) y.length * Float.BYTES);
        ops.writeFloats(yb, y);
        ops.addRows(yb, yOff, stride, arena.upload("b", bias), 2 * n, n, rows);
        float[] got = new float[y.length];
        ops.readFloats(yb, 0, got, got.length);
        for (int r = 0; r < rows; r++) {
            ref.axpy(1f, bias, 2 * n, y, yOff + r * stride, n);
        }
        assertArrayEquals(y, got);
    }

    @Test
    void gatherThenScatterMixesOneExpertsOutputIntoItsTokens() {
        SplittableRandom random = new SplittableRandom(2);
        int n = 70;
        int batch = 9;
        int expertSlot = 3 * batch; // the rows of expert 3 in a [experts][batch] table
        int[] rows = {7, 0, 4, 8};
        float[] weights = {0.25f, 0.5f, 0.125f, 0.7f};
        float[] x = OpenClTestDevice.floats(batch * n, random);
        float[] out = OpenClTestDevice.floats(batch * n, random);
        float[] down = OpenClTestDevice.floats(rows.length * n, random);
        float[] bias = OpenClTestDevice.floats(4 * n, random);

        ByteBuffer rowTable = ByteBuffer.allocateDirect(4 * batch * Integer.BYTES).order(ByteOrder.nativeOrder());
        ByteBuffer weightTable = ByteBuffer.allocateDirect(4 * batch * Float.BYTES).order(ByteOrder.nativeOrder());
        for (int i = 0; i < rows.length; i++) {
            rowTable.putInt((expertSlot + i) * Integer.BYTES, rows[i]);
            weightTable.putFloat((expertSlot + i) * Float.BYTES, weights[i]);
        }
        cl_mem rowsBuf = arena.buffer("rows", 4L * batch * Integer.BYTES);
        cl_mem weightsBuf = arena.buffer("weights", 4L * batch * Float.BYTES);
        ops.writeAsync(rowsBuf, rowTable, 4L * batch * Integer.BYTES);
        ops.writeAsync(weightsBuf, weightTable, 4L * batch * Float.BYTES);

        cl_mem gathered = arena.buffer("gathered", (long) rows.length * n * Float.BYTES);
        ops.moeGather(arena.upload("x", x), rowsBuf, expertSlot, n, rows.length, gathered);
        float[] gotGathered = new float[rows.length * n];
        ops.readFloats(gathered, 0, gotGathered, gotGathered.length);
        float[] wantGathered = new float[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * n, wantGathered, i * n, n);
        }
        assertArrayEquals(wantGathered, gotGathered);

        cl_mem outBuf = arena.buffer("out", (long) out.length * Float.BYTES);
        ops.writeFloats(outBuf, out);
        ops.moeScatter(arena.upload("down", down), arena.upload("bias", bias), 3 * n, rowsBuf, weightsBuf, expertSlot, n,
                rows.length, outBuf);
        float[] got = new float[out.length];
        ops.readFloats(outBuf, 0, got, got.length);
        // The engine's MixtureOfExperts: down += bias, then out[token] += weight * down.
        for (int i = 0; i < rows.length; i++) {
            ref.axpy(1f, bias, 3 * n, down, i * n, n);
            ref.axpy(weights[i], down, i * n, out, rows[i] * n, n);
        }
        assertArrayEquals(out, got);
    }

    @Test
    void zeroClearsTheFirstValues() {
        float[] y = OpenClTestDevice.floats(20, new SplittableRandom(3));
        cl_mem yb = arena.buffer("y", (long) y.length * Float.BYTES);
        ops.writeFloats(yb, y);
        ops.zero(yb, 12);
        float[] got = new float[y.length];
        ops.readFloats(yb, 0, got, got.length);
        java.util.Arrays.fill(y, 0, 12, 0f);
        assertArrayEquals(y, got);
    }

    @Test
    void topKTakesTheLargestFirstAndTheLowerIndexAmongEquals() {
        float[] logits = {9f, 0.5f, 2f, 7f, 2f, 7f, -1f};
        int[] out = new int[4];
        OpenClMixtureOfExperts.topK(logits, 1, 6, 4, out); // logits[1..7)
        assertArrayEquals(new int[] {2, 4, 1, 3}, out);
    }
}
