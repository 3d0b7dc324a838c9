// rope_norm: rotary position embedding in GGML's "normal" layout (llama's): the pairs (2i, 2i + 1)
// of the first rotaryDim values of each head turn by angle theta_i(pos): x0' = x0 cos - x1 sin, x1'
// = x0 sin + x1 cos. cos/sin come from a table [position][pair] that the host filled from the
// engine's own Rope (linear scaling, Llama 3 rope_freqs). One work-item per (pair i, head h, token
// t), dimension 0 rounded up to whole work-groups; token t of the batch sits at position pos0 + t,
// its heads at x[xOff + t * rowStride + h * headDim].
#pragma OPENCL FP_CONTRACT OFF

kernel void rope_norm(global float* x, int xOff, int rowStride, int headDim, int rotaryDim, int pos0,
                      global const float* cosTable, global const float* sinTable) {
    const int i = get_global_id(0);
    const int h = get_global_id(1);
    const int t = get_global_id(2);
    const int pairs = rotaryDim / 2;
    if (i >= pairs) {
        return;
    }
    const size_t a = (size_t)xOff + (size_t)t * (size_t)rowStride + (size_t)h * headDim + 2 * i;
    const size_t b = a + 1;
    const float c = cosTable[(size_t)(pos0 + t) * pairs + i];
    const float s = sinTable[(size_t)(pos0 + t) * pairs + i];
    const float x0 = x[a];
    const float x1 = x[b];
    x[a] = x0 * c - x1 * s;
    x[b] = x0 * s + x1 * c;
}
