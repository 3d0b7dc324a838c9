// matmul_bf16: the batched product for prefill of a BF16 matrix (dense_matmul.cl, over dense_bf16.cl).
#include "dense_bf16.cl"
#define TYPE bf16
#include "dense_matmul.cl"
