package io.inferlab.engine.tokenizer;

/**
 * Ids of the vocabulary's special tokens from {@code tokenizer.ggml.*_token_id}; -1 where the
 * vocabulary has none. EOT (end of turn) and EOM (end of message) also end generation.
 */
public record SpecialTokenIds(int bos, int eos, int unknown, int padding, int eot, int eom) {
    public static final int NONE = -1;

    public SpecialTokenIds {
        for (int id : new int[] {bos, eos, unknown, padding, eot, eom}) {
            if (id < NONE) {
                throw new IllegalArgumentException("special token id " + id + " is negative");
            }
        }
    }

    /** Whether generating {@code token} ends the sequence. */
    public boolean endsGeneration(int token) {
        return token >= 0 && (token == eos || token == eot || token == eom);
    }
}
