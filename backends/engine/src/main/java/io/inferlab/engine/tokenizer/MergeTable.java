package io.inferlab.engine.tokenizer;

import java.util.Arrays;

/**
 * BPE merge rules keyed by the pair of token ids they join: (left, right) -> (rank, merged id).
 * An open-addressing table over packed longs, because o200k has ~446k merges and boxing a
 * {@code HashMap<Long, ...>} entry per rule, or concatenating strings per lookup, makes loading
 * and encoding several times slower.
 */
final class MergeTable {
    private static final long EMPTY = -1L; // packed keys are never negative: both ids are >= 0

    private final long[] keys;
    private final long[] values;
    private final int mask;
    private int size;

    MergeTable(int expectedRules) {
        int capacity = Integer.highestOneBit(Math.max(4, expectedRules) * 2 - 1) << 1; // load <= 0.5
        keys = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
    }

    /** Adds a rule unless the pair already has one: the first (lowest-ranked) rule wins, as in llama.cpp. */
    void putIfAbsent(int left, int right, int rank, int merged) {
        if (size * 2 >= keys.length) {
            throw new IllegalStateException("merge table is full");
        }
        long key = pack(left, right);
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = pack(rank, merged);
        size++;
    }

    /** The rule for (left, right) as {@code rank << 32 | merged}, or -1 when the pair does not merge. */
    long get(int left, int right) {
        long key = pack(left, right);
        int slot = slot(key);
        long k;
        while ((k = keys[slot]) != EMPTY) {
            if (k == key) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    int size() {
        return size;
    }

    static int rank(long rule) {
        return (int) (rule >>> 32);
    }

    static int merged(long rule) {
        return (int) rule;
    }

    private static long pack(int high, int low) {
        return ((long) high << 32) | (low & 0xFFFF_FFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L; // Fibonacci hashing spreads the packed ids over the table
        return (int) (h >>> 32) & mask;
    }
}
