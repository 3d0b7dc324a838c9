// matvec_f16: out[outOff + r] = sum_c w[r * cols + c] * x[xOff + c] for every row r of an F16
// matrix (GGML type 1: IEEE half floats, row-major; read with vload_half, which needs no
// cl_khr_fp16, and converted to float exactly).
//
// One work-group per row, L lanes (L a power of two). Lane i takes the 8-value chunks i, i + L,
// ... (adjacent lanes read adjacent memory, so a GPU coalesces the loads and a CPU device gets
// whole vectors), lanes 0 .. tail-1 take the last cols % 8 values, then the lanes' partial sums
// are added in a tree in local memory.
kernel void matvec_f16(global const half* w, int cols,
                       global const float* x, int xOff,
                       global float* out, int outOff,
                       local float* partial) {
    const int row = get_group_id(0);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    global const half* wr = w + (size_t)row * (size_t)cols;
    global const float* xr = x + xOff;
    const int chunks = cols / 8;
    float8 acc = (float8)(0.0f);
    for (int c = lid; c < chunks; c += lanes) {
        acc += vload_half8(c, wr) * vload8(c, xr);
    }
    float4 a4 = acc.lo + acc.hi;
    float2 a2 = a4.lo + a4.hi;
    float sum = a2.x + a2.y;
    for (int c = chunks * 8 + lid; c < cols; c += lanes) {
        sum += vload_half(c, wr) * xr[c];
    }
    partial[lid] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = lanes >> 1; s > 0; s >>= 1) {
        if (lid < s) {
            partial[lid] += partial[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        out[outOff + row] = partial[0];
    }
}
