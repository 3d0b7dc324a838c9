package io.inferlab.engine.tokenizer;

import java.util.Objects;

/**
 * A GGUF vocabulary: token texts in id order, their scores and types, the special ids, and the
 * text-to-id index. Immutable after construction; shared by both tokenizer kinds.
 */
public final class Vocabulary {
    private final String[] tokens;
    private final float[] scores;
    private final TokenType[] types;
    private final SpecialTokenIds special;
    private final TokenIndex index;

    /** {@code scores} may be null (all 0, as for BPE vocabularies); arrays must match in length. */
    Vocabulary(String[] tokens, float[] scores, TokenType[] types, SpecialTokenIds special) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.scores = scores != null ? scores : new float[tokens.length];
        this.types = Objects.requireNonNull(types, "types");
        this.special = Objects.requireNonNull(special, "special");
        if (this.scores.length != tokens.length || types.length != tokens.length) {
            throw new IllegalArgumentException("tokens, scores and types differ in length");
        }
        // llama.cpp fills its text->id map in id order, so a duplicated text maps to the last id.
        this.index = new TokenIndex(tokens);
    }

    public int size() {
        return tokens.length;
    }

    public String text(int id) {
        return tokens[checkId(id)];
    }

    public float score(int id) {
        return scores[checkId(id)];
    }

    public TokenType type(int id) {
        return types[checkId(id)];
    }

    public SpecialTokenIds special() {
        return special;
    }

    /** The id of the token spelled {@code text}, or -1 when there is none. */
    public int id(String text) {
        return index.find(text);
    }

    /** Lookups by string range, without substrings (see {@link TokenIndex}). */
    TokenIndex index() {
        return index;
    }

    int checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (" + tokens.length + " tokens)");
        }
        return id;
    }
}
