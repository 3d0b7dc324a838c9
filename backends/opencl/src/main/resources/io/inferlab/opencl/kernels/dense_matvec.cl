// The matvec of a float-like type: out[outOff + r] = sum_c w[r * cols + c] * x[xOff + c] for every
// row r, as kernel matvec_<TYPE>. A dense_<TYPE>.cl comes first: ELEM, the stored element, and
// load8(c, w) / load1(c, w), 8-value chunk c and value c of a row as floats (exactly).
//
// One work-group per row, L lanes (L a power of two). Lane i takes the 8-value chunks i, i + L,
// ... (adjacent lanes read adjacent memory, so a GPU coalesces the loads and a CPU device gets
// whole vectors), lanes 0 .. tail-1 take the last cols % 8 values, then the lanes' partial sums
// are added in a tree in local memory.
#include "reduce.cl"

kernel void PASTE(matvec_, TYPE)(global const ELEM* w, int cols,
                                 global const float* x, int xOff,
                                 global float* out, int outOff,
                                 local float* partial) {
    const int row = get_group_id(0);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    global const ELEM* wr = w + (size_t)row * (size_t)cols;
    global const float* xr = x + xOff;
    const int chunks = cols / 8;
    float8 acc = (float8)(0.0f);
    for (int c = lid; c < chunks; c += lanes) {
        acc += load8(c, wr) * vload8(c, xr);
    }
    float4 a4 = acc.lo + acc.hi;
    float2 a2 = a4.lo + a4.hi;
    float sum = a2.x + a2.y;
    for (int c = chunks * 8 + lid; c < cols; c += lanes) {
        sum += load1(c, wr) * xr[c];
    }
    matvec_row_sum(sum, partial, lid, lanes, out, outOff + row);
}
