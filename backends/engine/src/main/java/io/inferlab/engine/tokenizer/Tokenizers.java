package io.inferlab.engine.tokenizer;

import java.util.Arrays;
import java.util.Optional;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.gguf.GgufMetadata;

/**
 * Builds a {@link Tokenizer} from a GGUF file's {@code tokenizer.ggml.*} metadata (the keys
 * llama.cpp's converters write), validating it: every problem is a {@link ModelFormatException}
 * naming the key at fault.
 */
public final class Tokenizers {
    public static final String MODEL = "tokenizer.ggml.model";
    public static final String PRE = "tokenizer.ggml.pre";
    public static final String TOKENS = "tokenizer.ggml.tokens";
    public static final String SCORES = "tokenizer.ggml.scores";
    public static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    public static final String MERGES = "tokenizer.ggml.merges";
    public static final String BOS_ID = "tokenizer.ggml.bos_token_id";
    public static final String EOS_ID = "tokenizer.ggml.eos_token_id";
    public static final String UNKNOWN_ID = "tokenizer.ggml.unknown_token_id";
    public static final String PADDING_ID = "tokenizer.ggml.padding_token_id";
    public static final String EOT_ID = "tokenizer.ggml.eot_token_id";
    public static final String EOM_ID = "tokenizer.ggml.eom_token_id";
    public static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    public static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";

    private Tokenizers() {
    }

    /**
     * The tokenizer {@code tokenizer.ggml.model} names: {@code llama} (SentencePiece) or
     * {@code gpt2} (byte-level BPE).
     *
     * @throws ModelFormatException when a key is missing, mistyped or inconsistent
     */
    public static VocabularyTokenizer fromMetadata(GgufMetadata md) {
        String model = md.getString(MODEL);
        return switch (model) {
            case "llama" -> sentencePiece(md);
            case "gpt2" -> gpt2(md);
            default -> throw md.invalid(MODEL, "unsupported tokenizer model '" + model + "' (supported: llama, gpt2)");
        };
    }

    private static SentencePieceTokenizer sentencePiece(GgufMetadata md) {
        // SentencePiece merges by score, so llama vocabularies must carry scores. llama.cpp's SPM
        // defaults: BOS 1, EOS 2, unknown 0; BOS added and a dummy-prefix space unless told otherwise.
        md.getArray(SCORES);
        Vocabulary vocab = vocabulary(md, new SpecialTokenIds(1, 2, 0, -1, -1, -1));
        boolean addBos = md.optBoolean(ADD_BOS).orElse(true);
        requireBos(md, vocab, addBos);
        return new SentencePieceTokenizer(vocab, addBos, md.optBoolean(ADD_SPACE_PREFIX).orElse(true));
    }

    private static Gpt2Tokenizer gpt2(GgufMetadata md) {
        // llama.cpp falls back to GPT-2's own pattern when the pre-tokenizer is not named.
        String pre = md.optString(PRE).orElse("default");
        PreTokenizer preTokenizer = PreTokenizer.forName(pre).orElseThrow(() -> md.invalid(PRE,
                "unsupported pre-tokenizer '" + pre + "' (supported: " + String.join(", ", PreTokenizer.supportedNames()) + ")"));
        Vocabulary vocab = vocabulary(md, new SpecialTokenIds(-1, -1, -1, -1, -1, -1));
        MergeTable merges = merges(md, vocab);
        boolean addBos = md.optBoolean(ADD_BOS).orElse(false);
        requireBos(md, vocab, addBos);
        return new Gpt2Tokenizer(vocab, merges, preTokenizer, addBos);
    }

    private static Vocabulary vocabulary(GgufMetadata md, SpecialTokenIds defaults) {
        String[] tokens = md.getStringArray(TOKENS);
        if (tokens.length == 0) {
            throw md.invalid(TOKENS, "the vocabulary is empty");
        }
        float[] scores = md.optFloatArray(SCORES).orElse(null);
        if (scores != null && scores.length != tokens.length) {
            throw md.invalid(SCORES, scores.length + " scores for " + tokens.length + " tokens (" + TOKENS + ")");
        }
        TokenType[] types = new TokenType[tokens.length];
        Optional<int[]> codes = md.optIntArray(TOKEN_TYPE);
        if (codes.isPresent()) {
            int[] c = codes.get();
            if (c.length != tokens.length) {
                throw md.invalid(TOKEN_TYPE, c.length + " token types for " + tokens.length + " tokens (" + TOKENS + ")");
            }
            for (int i = 0; i < c.length; i++) {
                types[i] = TokenType.fromCode(c[i]);
                if (types[i] == null) {
                    throw md.invalid(TOKEN_TYPE, "token " + i + " has type " + c[i] + " (expected 0..6)");
                }
            }
        } else {
            Arrays.fill(types, TokenType.NORMAL);
        }
        int n = tokens.length;
        SpecialTokenIds special = new SpecialTokenIds(
                tokenId(md, BOS_ID, defaults.bos(), n),
                tokenId(md, EOS_ID, defaults.eos(), n),
                tokenId(md, UNKNOWN_ID, defaults.unknown(), n),
                tokenId(md, PADDING_ID, defaults.padding(), n),
                tokenId(md, EOT_ID, defaults.eot(), n),
                tokenId(md, EOM_ID, defaults.eom(), n));
        return new Vocabulary(tokens, scores, types, special);
    }

    /** The id under {@code key}, which must lie in the vocabulary; a default outside it means none. */
    private static int tokenId(GgufMetadata md, String key, int fallback, int vocabSize) {
        Optional<Integer> id = md.optInt(key);
        if (id.isEmpty()) {
            return fallback < vocabSize ? fallback : SpecialTokenIds.NONE;
        }
        int v = id.get();
        if (v < 0 || v >= vocabSize) {
            throw md.invalid(key, "token id " + v + " is outside the vocabulary (" + vocabSize + " tokens)");
        }
        return v;
    }

    private static void requireBos(GgufMetadata md, Vocabulary vocab, boolean addBos) {
        if (addBos && vocab.special().bos() < 0) {
            throw md.invalid(ADD_BOS, "BOS is to be added but the vocabulary has no BOS token (" + BOS_ID + ")");
        }
    }

    /**
     * Merge rules "left right" (first space from the second character on splits them, as in
     * llama.cpp, so a left part may itself be a space); the rank is the rule's position. Rules
     * whose parts or result are not tokens cannot fire on token ids and are left out.
     */
    private static MergeTable merges(GgufMetadata md, Vocabulary vocab) {
        String[] rules = md.getStringArray(MERGES);
        MergeTable table = new MergeTable(rules.length);
        TokenIndex index = vocab.index();
        for (int rank = 0; rank < rules.length; rank++) {
            String rule = rules[rank];
            int space = rule.indexOf(' ', 1);
            if (space < 0 || space == rule.length() - 1) {
                throw md.invalid(MERGES, "rule " + rank + " '" + rule + "' is not two tokens separated by a space");
            }
            int left = index.find(rule, 0, space);
            int right = index.find(rule, space + 1, rule.length());
            if (left < 0 || right < 0) {
                continue;
            }
            int merged = index.find(rule, 0, space, space + 1, rule.length());
            if (merged >= 0) {
                table.putIfAbsent(left, right, rank, merged);
            }
        }
        return table;
    }
}
