// add: the residual connection, y[yOff + i] += x[xOff + i] for i < n. One work-item per value; the
// host rounds the global size up to whole work-groups.
kernel void add(global float* y, int yOff, global const float* x, int xOff, int n) {
    const int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    y[yOff + i] += x[xOff + i];
}
