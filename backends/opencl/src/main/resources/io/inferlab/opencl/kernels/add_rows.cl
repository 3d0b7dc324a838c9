// add_rows: a bias added to each of `rows` rows, y[yOff + r * stride + i] += b[bOff + i] for
// i < n (attention and router biases; an expert's biases at offset e * n of the layer's
// per-expert bias table). One work-item per (i, r), dimension 0 rounded up to whole work-groups.
kernel void add_rows(global float* y, int yOff, int stride, global const float* b, int bOff, int n) {
    const int i = get_global_id(0);
    const int r = get_global_id(1);
    if (i >= n) {
        return;
    }
    y[yOff + (size_t)r * stride + i] += b[bOff + i];
}
