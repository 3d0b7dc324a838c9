// argmax: greedy decoding on the device: result[0] = the index of the largest of x[xOff ..
// xOff + n), ties to the lowest index (as the host sampler). One work-group: each lane scans
// the indices lid, lid + L, ... keeping its first maximum, then (value, index) pairs are
// combined in a tree in local memory. Only this one int goes back to the host.
kernel void argmax(global const float* x, int xOff, int n, global int* result,
                   local float* bestValue, local int* bestIndex) {
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    float bv = -INFINITY;
    int bi = INT_MAX;
    if (lid < n) {
        bv = x[xOff + lid];
        bi = lid;
    }
    for (int i = lid + lanes; i < n; i += lanes) {
        const float v = x[xOff + i];
        if (v > bv) {
            bv = v;
            bi = i;
        }
    }
    bestValue[lid] = bv;
    bestIndex[lid] = bi;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = lanes >> 1; s > 0; s >>= 1) {
        if (lid < s) {
            const float ov = bestValue[lid + s];
            const int oi = bestIndex[lid + s];
            if (ov > bestValue[lid] || (ov == bestValue[lid] && oi < bestIndex[lid])) {
                bestValue[lid] = ov;
                bestIndex[lid] = oi;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        result[0] = bestIndex[0];
    }
}
