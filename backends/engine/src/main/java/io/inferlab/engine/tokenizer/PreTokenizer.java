package io.inferlab.engine.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regex that splits text into pre-tokens before byte-level BPE, chosen by
 * {@code tokenizer.ggml.pre}. Each pattern is written from its published definition (GPT-2's
 * encoder, Llama 3's and Qwen2's tokenizer.json, tiktoken's o200k_base) in Java syntax.
 * {@link Pattern#UNICODE_CHARACTER_CLASS} makes {@code \s} Unicode whitespace and the
 * case-insensitive contractions Unicode-aware, as in the Python/Rust regex engines these patterns
 * were defined for; {@code \p{L}}, {@code \p{N}} are Unicode categories either way.
 *
 * @param ignoreMerges a pre-token that is itself a vocabulary token is emitted whole, skipping the
 *                     merges (llama.cpp does this for Llama 3, whose vocabulary has tokens the
 *                     merges cannot build)
 */
record PreTokenizer(String name, Pattern pattern, boolean ignoreMerges) {

    /** GPT-2: contractions (case-sensitive), optional space + letters / digits / other, spaces. */
    private static final String GPT2 =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** Llama 3: case-insensitive contractions, one non-letter before a word, digits in 1..3 runs. */
    private static final String LLAMA3 =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Qwen2: Llama 3's pattern with single digits. */
    private static final String QWEN2 =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /**
     * o200k (GPT-4o, gpt-oss): words split at case changes (upper-case run then lower-case run,
     * marks and other letters going with either), contractions attached to the word, digits in
     * 1..3 runs, punctuation runs taking trailing newlines or slashes.
     */
    private static final String O200K =
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
                    + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
                    + "|\\p{N}{1,3}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*"
                    + "|\\s*[\\r\\n]+"
                    + "|\\s+(?!\\S)"
                    + "|\\s+";

    private static final Map<String, PreTokenizer> BY_NAME = new LinkedHashMap<>();

    static {
        register(GPT2, false, "default", "gpt2");
        register(LLAMA3, true, "llama3", "llama-v3", "llama-bpe");
        register(LLAMA3, false, "smaug-bpe");
        register(QWEN2, false, "qwen2");
        register(O200K, false, "gpt-4o");
    }

    private static void register(String regex, boolean ignoreMerges, String... names) {
        Pattern p = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
        for (String n : names) {
            BY_NAME.put(n, new PreTokenizer(n, p, ignoreMerges));
        }
    }

    static Optional<PreTokenizer> forName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    static Set<String> supportedNames() {
        return BY_NAME.keySet();
    }

    /**
     * The pre-tokens of {@code text}, in order, covering it completely: a character no
     * alternative matches (the patterns are meant to leave none) becomes a pre-token of its own
     * instead of being dropped.
     */
    List<String> split(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        int covered = 0;
        while (m.find()) {
            if (m.start() > covered) {
                out.add(text.substring(covered, m.start()));
            }
            if (m.end() > m.start()) {
                out.add(m.group());
            }
            covered = m.end();
        }
        if (covered < text.length()) {
            out.add(text.substring(covered));
        }
        return out;
    }
}
