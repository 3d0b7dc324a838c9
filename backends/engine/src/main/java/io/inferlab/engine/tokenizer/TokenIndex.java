package io.inferlab.engine.tokenizer;

/**
 * Token text to id, looked up by a range of a string (or two ranges taken as their concatenation)
 * without creating a substring. Loading o200k's 446k merge rules needs three lookups per rule
 * (left, right, merged), and the SentencePiece loop one per candidate pair; allocating a string
 * for each dominated those costs. Open addressing over id + 1 (0 = empty), hashed with
 * {@link String#hashCode}'s polynomial so a whole string can use its cached hash.
 */
final class TokenIndex {
    private final String[] tokens;
    private final int[] slots;
    private final int mask;

    TokenIndex(String[] tokens) {
        this.tokens = tokens;
        int capacity = Integer.highestOneBit(Math.max(4, tokens.length) * 2 - 1) << 1; // load <= 0.5
        slots = new int[capacity];
        mask = capacity - 1;
        for (int id = 0; id < tokens.length; id++) {
            String t = tokens[id];
            int slot = slot(t.hashCode());
            while (slots[slot] != 0 && !tokens[slots[slot] - 1].equals(t)) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id + 1; // a duplicated text maps to its last id, as llama.cpp's map does
        }
    }

    int find(String text) {
        int slot = slot(text.hashCode());
        for (int s; (s = slots[slot]) != 0; slot = (slot + 1) & mask) {
            if (tokens[s - 1].equals(text)) {
                return s - 1;
            }
        }
        return -1;
    }

    /** The id of {@code s[from, to)}, or -1. */
    int find(String s, int from, int to) {
        return find(s, from, to, to, to);
    }

    /** The id of {@code s[aFrom, aTo) + s[bFrom, bTo)}, or -1. */
    int find(String s, int aFrom, int aTo, int bFrom, int bTo) {
        int h = 0;
        for (int i = aFrom; i < aTo; i++) {
            h = 31 * h + s.charAt(i);
        }
        for (int i = bFrom; i < bTo; i++) {
            h = 31 * h + s.charAt(i);
        }
        int aLen = aTo - aFrom;
        int length = aLen + bTo - bFrom;
        int slot = slot(h);
        for (int id; (id = slots[slot]) != 0; slot = (slot + 1) & mask) {
            String t = tokens[id - 1];
            if (t.length() == length && t.hashCode() == h
                    && t.regionMatches(0, s, aFrom, aLen) && t.regionMatches(aLen, s, bFrom, bTo - bFrom)) {
                return id - 1;
            }
        }
        return -1;
    }

    private int slot(int hash) {
        return (int) ((hash * 0x9E37_79B9_7F4A_7C15L) >>> 32) & mask;
    }
}
