// moe_gather: the rows of the batch routed to one expert, packed for its batched matmuls:
// out[i * n + c] = x[rows[rowsOff + i] * n + c] for the expert's m tokens i < m (c < n). One
// work-item per (c, i), dimension 0 rounded up to whole work-groups.
kernel void moe_gather(global const float* x, global const int* rows, int rowsOff, int n, global float* out) {
    const int c = get_global_id(0);
    const int i = get_global_id(1);
    if (c >= n) {
        return;
    }
    out[(size_t)i * n + c] = x[(size_t)rows[rowsOff + i] * n + c];
}
