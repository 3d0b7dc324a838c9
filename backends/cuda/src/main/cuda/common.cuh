// Shared device helpers of the InferLab CUDA kernels (included, never compiled alone).
// Block layouts are GGML's (ggml-common.h): block_q8_0 = fp16 d + 32 int8; block_q4_0 = fp16 d +
// 16 bytes (value j = low nibble of byte j - 8, value j+16 = high nibble - 8); block_mxfp4 = one
// E8M0 exponent byte + 16 bytes of E2M1 nibbles in the same order (OCP Microscaling Formats v1.0).
#pragma once
#include <cuda_fp16.h>
#include <stdint.h>

#define QK 32
#define Q8_0_BYTES 34
#define Q4_0_BYTES 18
#define MXFP4_BYTES 17
// Tokens of a batch that one warp multiplies by a weight row it reads once.
#define BATCH_TILE 8

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Sum over the whole block (blockDim.x a multiple of 32, at most 1024); every thread gets the result.
__device__ __forceinline__ float block_sum(float v, float* shared32) {
    v = warp_sum(v);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    __syncthreads();
    if (lane == 0) shared32[warp] = v;
    __syncthreads();
    int warps = blockDim.x >> 5;
    v = lane < warps ? shared32[lane] : 0.f;
    return warp_sum(v);
}

__device__ __forceinline__ float block_max(float v, float* shared32) {
    v = warp_max(v);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    __syncthreads();
    if (lane == 0) shared32[warp] = v;
    __syncthreads();
    int warps = blockDim.x >> 5;
    v = lane < warps ? shared32[lane] : -INFINITY;
    return warp_max(v);
}

__device__ __forceinline__ float load_half(const uint8_t* p) {
    unsigned short bits = (unsigned short) p[0] | ((unsigned short) p[1] << 8);
    return __half2float(__ushort_as_half(bits));
}

// E8M0: 2^(e - 127); e = 0 gives 2^-127 (a subnormal float), as GGML's ggml_e8m0_to_fp32.
__device__ __forceinline__ float e8m0_to_float(uint8_t e) {
    return e == 0 ? __int_as_float(0x00400000) : __int_as_float(((int) e) << 23);
}

// E2M1: sign, 2 exponent bits, 1 mantissa bit: magnitudes 0, 0.5, 1, 1.5, 2, 3, 4, 6.
__device__ __forceinline__ float e2m1_to_float(int nibble) {
    const float mag[8] = {0.f, 0.5f, 1.f, 1.5f, 2.f, 3.f, 4.f, 6.f};
    float m = mag[nibble & 7];
    return (nibble & 8) ? -m : m;
}

// Value j (0..31) of the block at p, in each type: F32 and F16 as "blocks" of 32 unquantized
// values (128 and 64 bytes), so that every type goes through the same loops.
__device__ __forceinline__ float f32_value(const uint8_t* p, int j) {
    return reinterpret_cast<const float*>(p)[j];
}

__device__ __forceinline__ float f16_value(const uint8_t* p, int j) {
    return load_half(p + 2 * j);
}

__device__ __forceinline__ float q8_0_value(const uint8_t* p, int j) {
    return load_half(p) * (float) (int8_t) p[2 + j];
}

__device__ __forceinline__ float q4_0_value(const uint8_t* p, int j) {
    uint8_t b = p[2 + (j & 15)];
    int q = j < 16 ? (b & 0xF) : (b >> 4);
    return load_half(p) * (float) (q - 8);
}

__device__ __forceinline__ float mxfp4_value(const uint8_t* p, int j) {
    uint8_t b = p[1 + (j & 15)];
    return e8m0_to_float(p[0]) * e2m1_to_float(j < 16 ? (b & 0xF) : (b >> 4));
}
