// Residual add in place: y[i] += x[i]. Grid: ceil(n / blockDim.x); one element per thread.
extern "C" __global__ void add_f32(float* y, const float* __restrict__ x, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] += x[i];
}
