package io.inferlab.datasets.models;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A deterministic SentencePiece-style vocabulary ({@code tokenizer.ggml.model = llama}) of any
 * size, laid out like Llama 2's: {@code <unk>}, {@code <s>}, {@code </s>}, the 256 byte tokens
 * {@code <0x00>..<0xFF>}, then pieces. Pieces are letters, digits and punctuation with and
 * without the word-start mark {@code ▁}, then ever longer letter combinations, with scores that
 * favour longer pieces, so that real text tokenizes into plausible pieces and every string can
 * be encoded (byte fallback). Both our tokenizer and llama.cpp's load it.
 */
public record SyntheticVocabulary(String[] tokens, float[] scores, int[] tokenTypes) {
    public static final int UNK = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;

    /** GGUF token types (llama.cpp's llama_token_type). */
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int BYTE = 6;

    private static final String WORD_START = "\u2581";
    private static final String LETTERS = "etaoinshrdlcumwfgypbvkjxqz";

    public static SyntheticVocabulary of(int size) {
        if (size < 259 + 2 * LETTERS.length()) {
            throw new IllegalArgumentException("a synthetic vocabulary needs at least " + (259 + 2 * LETTERS.length())
                    + " tokens, asked for " + size);
        }
        String[] tokens = new String[size];
        float[] scores = new float[size];
        int[] types = new int[size];
        tokens[UNK] = "<unk>";
        types[UNK] = UNKNOWN;
        tokens[BOS] = "<s>";
        types[BOS] = CONTROL;
        tokens[EOS] = "</s>";
        types[EOS] = CONTROL;
        for (int b = 0; b < 256; b++) {
            tokens[3 + b] = "<0x%02X>".formatted(b);
            types[3 + b] = BYTE;
        }
        Set<String> pieces = new LinkedHashSet<>();
        pieces.add(WORD_START);
        String singles = LETTERS + LETTERS.toUpperCase() + "0123456789.,!?'\";:-()";
        for (char ch : singles.toCharArray()) {
            pieces.add(String.valueOf(ch));
            pieces.add(WORD_START + ch);
        }
        // Breadth-first letter combinations: "▁th", "th", ... then three letters, and so on.
        int length = 2;
        outer:
        while (true) {
            int combos = (int) Math.min(Integer.MAX_VALUE, Math.pow(LETTERS.length(), length));
            for (int c = 0; c < combos; c++) {
                StringBuilder sb = new StringBuilder(length);
                int v = c;
                for (int i = 0; i < length; i++) {
                    sb.append(LETTERS.charAt(v % LETTERS.length()));
                    v /= LETTERS.length();
                }
                String s = sb.reverse().toString();
                pieces.add(WORD_START + s);
                if (259 + pieces.size() >= size) {
                    break outer;
                }
                pieces.add(s);
                if (259 + pieces.size() >= size) {
                    break outer;
                }
            }
            length++;
        }
        int id = 259;
        for (String p : pieces) {
            if (id == size) {
                break;
            }
            tokens[id] = p;
            // SentencePiece merges the pair whose result scores highest: scoring longer pieces higher
            // (then earlier ones) makes words merge into their longest available pieces.
            scores[id] = p.codePointCount(0, p.length()) * 1000f - id * 0.001f;
            types[id] = NORMAL;
            id++;
        }
        return new SyntheticVocabulary(tokens, scores, types);
    }
}
