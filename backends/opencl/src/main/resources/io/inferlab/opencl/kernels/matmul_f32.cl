// matmul_f32: the batched product for prefill of an F32 matrix (dense_matmul.cl, over dense_f32.cl).
#include "dense_f32.cl"
#define TYPE f32
#include "dense_matmul.cl"
