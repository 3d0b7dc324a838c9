package io.inferlab.engine.model;

/**
 * Grouped-query attention's head counts and head size, and the per-token widths that follow from
 * them: one definition for every config, shape and preset that carries the three numbers.
 */
public interface AttentionHeads {
    /** Query heads. */
    int heads();

    /** Key/value heads (a divisor of {@link #heads}: each serves {@code heads / kvHeads} query heads). */
    int kvHeads();

    /** Values per attention head. */
    int headDim();

    /** Query values per token. */
    default int qDim() {
        return heads() * headDim();
    }

    /** Key (and value) values per token. */
    default int kvDim() {
        return kvHeads() * headDim();
    }
}
