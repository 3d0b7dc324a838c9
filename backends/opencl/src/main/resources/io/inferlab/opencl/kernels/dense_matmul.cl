// The batched product of a float-like type for prefill, as kernel matmul_<TYPE>: for each of
// `batch` input rows b, out[outOff + b * rows + r] = sum_c w[r * cols + c] * x[xOff + b * cols + c].
// A dense_<TYPE>.cl comes first (see dense_matvec.cl).
//
// Work-group (row r, batch tile t): L lanes split the row as dense_matvec.cl does and each lane
// keeps TILE sums, one per input row of the tile, so every weight chunk read from memory is used
// TILE times. The TILE partial sums are then added in a tree in local memory (TILE * L floats).
#include "reduce.cl"

kernel void PASTE(matmul_, TYPE)(global const ELEM* w, int cols, int rows,
                                 global const float* x, int xOff, int batch,
                                 global float* out, int outOff,
                                 local float* partial) {
    const int row = get_group_id(0);
    const int b0 = get_group_id(1) * TILE;
    const int nb = min(TILE, batch - b0);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    global const ELEM* wr = w + (size_t)row * (size_t)cols;
    global const float* xb = x + xOff + (size_t)b0 * (size_t)cols;
    const int chunks = cols / 8;
    float8 acc[TILE];
    for (int b = 0; b < TILE; b++) {
        acc[b] = (float8)(0.0f);
    }
    for (int c = lid; c < chunks; c += lanes) {
        float8 wv = load8(c, wr);
        // A constant trip count with a guard, not b < nb: the compiler keeps acc[] in registers.
        for (int b = 0; b < TILE; b++) {
            if (b < nb) {
                acc[b] += wv * vload8(c, xb + (size_t)b * (size_t)cols);
            }
        }
    }
    for (int b = 0; b < TILE; b++) {
        float4 a4 = acc[b].lo + acc[b].hi;
        float2 a2 = a4.lo + a4.hi;
        float sum = a2.x + a2.y;
        if (b < nb) {
            for (int c = chunks * 8 + lid; c < cols; c += lanes) {
                sum += load1(c, wr) * xb[(size_t)b * (size_t)cols + c];
            }
        }
        partial[b * lanes + lid] = sum;
    }
    matmul_tile_sums(partial, lid, lanes, nb, out, outOff + (size_t)b0 * (size_t)rows + row, rows);
}
