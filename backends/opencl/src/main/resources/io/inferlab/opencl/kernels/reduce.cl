// The work-group sums every product kernel ends with (quant_*.cl, dense_*.cl): lanes' partial sums
// added in a tree in local memory (L lanes, a power of two).
#define PASTE_(a, b) a##b
#define PASTE(a, b) PASTE_(a, b)
#define TILE 8

/* A matvec's row: the lanes' sums added; lane 0 writes the result to out[at]. */
inline void matvec_row_sum(float sum, local float* partial, int lid, int lanes, global float* out, int at) {
    partial[lid] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = lanes >> 1; s > 0; s >>= 1) {
        if (lid < s) {
            partial[lid] += partial[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        out[at] = partial[0];
    }
}

/*
 * A matmul's tile, once every lane has written its TILE sums to partial[b * L + lid] (TILE * L
 * floats of local memory): the sums added, and the tile's nb results written rows apart from
 * out[at]. (The lanes write partial themselves: handing this function their sums in an array
 * made PoCL's F16 prefill 10% slower.)
 */
inline void matmul_tile_sums(local float* partial, int lid, int lanes, int nb, global float* out, size_t at, int rows) {
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = lanes >> 1; s > 0; s >>= 1) {
        if (lid < s) {
            for (int b = 0; b < TILE; b++) {
                partial[b * lanes + lid] += partial[b * lanes + lid + s];
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int b = lid; b < nb; b += lanes) {
        out[at + (size_t)b * (size_t)rows] = partial[b * lanes];
    }
}
