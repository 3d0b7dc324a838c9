package io.inferlab.engine.model.synthetic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A synthetic byte-level BPE vocabulary laid out like o200k_harmony (gpt-oss's): the 256 byte
 * characters of GPT-2's byte-to-unicode map, one token per merge (in merge order), then the
 * harmony special tokens at o200k_harmony's offsets from the first special
 * ({@code <|startoftext|>} +0, {@code <|endoftext|>} +1, {@code <|return|>} +4, ..., {@code <|call|>}
 * +14, reserved ids between), then reserved tokens up to the requested rows. With 199742 merges
 * and 201088 rows every special has its real id (199998, 199999, 200002, ...). Any text encodes
 * (every byte is a token), so our tokenizer handles both plain text and harmony conversations.
 *
 * @param tokens     spelled in GPT-2's byte characters (the GGUF {@code tokenizer.ggml.tokens})
 * @param tokenTypes llama.cpp's token types: 1 normal, 3 control (specials), 5 unused (reserved)
 * @param merges     the GGUF {@code tokenizer.ggml.merges}, "left right", highest priority first
 */
public record HarmonyVocabulary(String[] tokens, int[] tokenTypes, String[] merges) {
    /** The harmony specials and their offsets from {@code <|startoftext|>} in o200k_harmony (199998 + offset). */
    public static final List<String> SPECIALS = List.of("<|startoftext|>", "<|endoftext|>", "<|return|>",
            "<|constrain|>", "<|channel|>", "<|start|>", "<|end|>", "<|message|>", "<|call|>");
    private static final int[] SPECIAL_OFFSETS = {0, 1, 4, 5, 7, 8, 9, 10, 14};
    /** Ids the specials block spans (offsets 0..14). */
    public static final int SPECIAL_SPAN = 15;
    /** o200k_harmony's ordinary tokens (o200k_base): the first special's id. */
    public static final int O200K_ORDINARY = 199_998;

    static final int NORMAL = 1;
    static final int CONTROL = 3;
    static final int UNUSED = 5;

    /** Frequency order of English letters: the first merges join the commonest pairs. */
    private static final String LETTERS = "etaoinshrdlcumwfgypbvkjxqz";

    /** The vocabulary of the real models' size with the specials at their real ids. */
    public static HarmonyVocabulary o200kSized() {
        return O200k.VOCABULARY;
    }

    /** Built on first use and kept (about 0.5 s and 200k merges): sizing a preset needs it too.
     *  Shared, so nobody may change its arrays (the writer copies them into the file). */
    private static final class O200k {
        static final HarmonyVocabulary VOCABULARY = of(letterMerges(O200K_ORDINARY - 256), GptOssShape.O200K_HARMONY_ROWS);
    }

    /**
     * @param merges "left right" rules whose sides are byte characters or earlier merges' results
     * @param rows   total tokens, at least {@link #minimumRows(int)}
     */
    public static HarmonyVocabulary of(List<String> merges, int rows) {
        if (rows < minimumRows(merges.size())) {
            throw new IllegalArgumentException("a vocabulary of " + merges.size() + " merges needs at least "
                    + minimumRows(merges.size()) + " rows, asked for " + rows);
        }
        String[] tokens = new String[rows];
        int[] types = new int[rows];
        Set<String> known = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            tokens[b] = String.valueOf(byteChar(b));
            types[b] = NORMAL;
            known.add(tokens[b]);
        }
        for (int m = 0; m < merges.size(); m++) {
            String[] sides = merges.get(m).split(" ", -1);
            String merged = sides.length == 2 ? sides[0] + sides[1] : null;
            if (merged == null || !known.contains(sides[0]) || !known.contains(sides[1]) || !known.add(merged)) {
                throw new IllegalArgumentException("merge " + m + " '" + merges.get(m)
                        + "' must join two known tokens into a new one");
            }
            tokens[256 + m] = merged;
            types[256 + m] = NORMAL;
        }
        int first = 256 + merges.size();
        for (int i = first; i < rows; i++) {
            tokens[i] = "<|reserved_" + i + "|>";
            types[i] = UNUSED;
        }
        for (int s = 0; s < SPECIALS.size(); s++) {
            tokens[first + SPECIAL_OFFSETS[s]] = SPECIALS.get(s);
            types[first + SPECIAL_OFFSETS[s]] = CONTROL;
        }
        return new HarmonyVocabulary(tokens, types, merges.toArray(String[]::new));
    }

    public static int minimumRows(int merges) {
        return 256 + merges + SPECIAL_SPAN;
    }

    /**
     * {@code count} merges that build lower-case words breadth-first: a space (Ġ) before each
     * letter, then every two-letter combination with and without the leading space, then three
     * letters, and so on; each joins a shorter combination (already a token) and one letter. Real
     * text then splits into plausible word pieces instead of single bytes.
     */
    public static List<String> letterMerges(int count) {
        String space = String.valueOf(byteChar(' '));
        List<String> merges = new ArrayList<>(count);
        for (int i = 0; i < LETTERS.length() && merges.size() < count; i++) {
            merges.add(space + " " + LETTERS.charAt(i));
        }
        for (int length = 2; merges.size() < count; length++) {
            long combos = (long) Math.pow(LETTERS.length(), length);
            for (long c = 0; c < combos && merges.size() < count; c++) {
                StringBuilder word = new StringBuilder(length);
                long v = c;
                for (int i = 0; i < length; i++) {
                    word.append(LETTERS.charAt((int) (v % LETTERS.length())));
                    v /= LETTERS.length();
                }
                word.reverse();
                String prefix = word.substring(0, length - 1);
                String last = word.substring(length - 1);
                merges.add(prefix + " " + last);
                if (merges.size() < count) {
                    merges.add(space + prefix + " " + last);
                }
            }
        }
        return merges;
    }

    /** GPT-2's byte-to-character map (bytes_to_unicode): printable Latin-1 as itself, the rest from U+0100 up. */
    public static char byteChar(int b) {
        if (b < 0 || b > 255) {
            throw new IllegalArgumentException("not a byte: " + b);
        }
        int next = 256;
        for (int i = 0; i < b; i++) {
            next += printable(i) ? 0 : 1;
        }
        return (char) (printable(b) ? b : next);
    }

    private static boolean printable(int i) {
        return (i >= '!' && i <= '~') || (i >= 0xA1 && i <= 0xAC) || (i >= 0xAE && i <= 0xFF);
    }

    /** The id of a token's spelling, or -1. */
    public int id(String token) {
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].equals(token)) {
                return i;
            }
        }
        return -1;
    }

    public int size() {
        return tokens.length;
    }

    public int bos() {
        return id("<|startoftext|>");
    }

    /** {@code <|return|>}: the end of an assistant's final message, gpt-oss's EOS. */
    public int eos() {
        return id("<|return|>");
    }

    public int padding() {
        return id("<|endoftext|>");
    }
}
