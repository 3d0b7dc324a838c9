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

// A quarter of a block dotted with 32 activations, for the decode matvec (matmul.cuh), where four
// lanes share a block: part p (0..3) takes quant bytes 4p..4p+3 of Q4_0 and MXFP4 (values 4p..4p+3
// and 4p+16..4p+19) and 8p..8p+7 of Q8_0 (values 8p..8p+7), with their scale. x is the block's 32
// activations, 16-byte aligned. Q4_0 and Q8_0 blocks are 18 and 34 bytes, so their halves are
// 2-byte aligned and read as 16-bit words; MXFP4's 17 are read byte by byte.
__device__ __forceinline__ float q4_0_dot4(const uint8_t* p, int part, const float* x) {
    const uint16_t* h = reinterpret_cast<const uint16_t*>(p);
    float d = __half2float(__ushort_as_half(h[0]));
    uint32_t q = (uint32_t) h[1 + 2 * part] | ((uint32_t) h[2 + 2 * part] << 16);
    float4 lo = *reinterpret_cast<const float4*>(x + 4 * part);
    float4 hi = *reinterpret_cast<const float4*>(x + 16 + 4 * part);
    float s = (float) ((int) (q & 0xF) - 8) * lo.x + (float) ((int) ((q >> 8) & 0xF) - 8) * lo.y
            + (float) ((int) ((q >> 16) & 0xF) - 8) * lo.z + (float) ((int) ((q >> 24) & 0xF) - 8) * lo.w
            + (float) ((int) ((q >> 4) & 0xF) - 8) * hi.x + (float) ((int) ((q >> 12) & 0xF) - 8) * hi.y
            + (float) ((int) ((q >> 20) & 0xF) - 8) * hi.z + (float) ((int) (q >> 28) - 8) * hi.w;
    return d * s;
}

__device__ __forceinline__ float q8_0_dot4(const uint8_t* p, int part, const float* x) {
    const uint16_t* h = reinterpret_cast<const uint16_t*>(p);
    float d = __half2float(__ushort_as_half(h[0]));
    float4 a = *reinterpret_cast<const float4*>(x + 8 * part);
    float4 b = *reinterpret_cast<const float4*>(x + 8 * part + 4);
    uint16_t q0 = h[1 + 4 * part], q1 = h[2 + 4 * part], q2 = h[3 + 4 * part], q3 = h[4 + 4 * part];
    float s = (float) (int8_t) (q0 & 0xFF) * a.x + (float) (int8_t) (q0 >> 8) * a.y
            + (float) (int8_t) (q1 & 0xFF) * a.z + (float) (int8_t) (q1 >> 8) * a.w
            + (float) (int8_t) (q2 & 0xFF) * b.x + (float) (int8_t) (q2 >> 8) * b.y
            + (float) (int8_t) (q3 & 0xFF) * b.z + (float) (int8_t) (q3 >> 8) * b.w;
    return d * s;
}

__device__ __forceinline__ float mxfp4_dot4(const uint8_t* p, int part, const float* x) {
    const uint8_t* q = p + 1 + 4 * part;
    float4 lo = *reinterpret_cast<const float4*>(x + 4 * part);
    float4 hi = *reinterpret_cast<const float4*>(x + 16 + 4 * part);
    float s = e2m1_to_float(q[0] & 0xF) * lo.x + e2m1_to_float(q[1] & 0xF) * lo.y
            + e2m1_to_float(q[2] & 0xF) * lo.z + e2m1_to_float(q[3] & 0xF) * lo.w
            + e2m1_to_float(q[0] >> 4) * hi.x + e2m1_to_float(q[1] >> 4) * hi.y
            + e2m1_to_float(q[2] >> 4) * hi.z + e2m1_to_float(q[3] >> 4) * hi.w;
    return e8m0_to_float(p[0]) * s;
}
