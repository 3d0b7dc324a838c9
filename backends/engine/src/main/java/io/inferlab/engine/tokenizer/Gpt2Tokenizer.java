package io.inferlab.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.inferlab.engine.tokenizer.SpecialTokenSplitter.Fragment;

/**
 * Byte-level BPE (GPT-2, Llama 3, o200k) over a GGUF vocabulary ({@code tokenizer.ggml.model =
 * gpt2}). Encoding: special tokens are cut out first (see {@link SpecialTokenSplitter}), the text
 * between them is split into pre-tokens by the {@link PreTokenizer} regex, each pre-token's UTF-8
 * bytes are spelled with GPT-2's byte characters ({@link ByteLevel}), and adjacent symbols are
 * merged by the rule with the lowest rank (its position in {@code tokenizer.ggml.merges}; ties:
 * leftmost) until no rule applies. Decoding maps the characters back to bytes.
 */
public final class Gpt2Tokenizer extends VocabularyTokenizer {
    /** Pre-token results kept for reuse; prompts repeat words, and BPE is the costly part. */
    private static final int CACHE_ENTRIES = 1 << 15;
    /** Longer pre-tokens (rare: runs of spaces, long digit-free strings) are not cached. */
    private static final int CACHE_MAX_CHARS = 64;

    private final MergeTable merges;
    private final PreTokenizer preTokenizer;
    private final SpecialTokenSplitter splitter;
    /** Token id of each single byte's character, or -1 when the vocabulary lacks it. */
    private final int[] byteTokens = new int[256];
    private final byte[][] decoded;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    Gpt2Tokenizer(Vocabulary vocab, MergeTable merges, PreTokenizer preTokenizer, boolean addBos) {
        super(vocab, addBos);
        this.merges = merges;
        this.preTokenizer = preTokenizer;
        this.splitter = new SpecialTokenSplitter(vocab);
        for (int b = 0; b < 256; b++) {
            byteTokens[b] = vocab.id(String.valueOf(ByteLevel.charOf(b)));
        }
        this.decoded = new byte[vocab.size()][];
        for (int id = 0; id < vocab.size(); id++) {
            String text = vocab.text(id);
            decoded[id] = switch (vocab.type(id)) {
                case NORMAL, UNDEFINED, BYTE -> ByteLevel.decode(text);
                case USER_DEFINED -> text.getBytes(StandardCharsets.UTF_8);
                // llama.cpp renders nothing for these in a BPE vocabulary
                case CONTROL, UNKNOWN, UNUSED -> nothing();
            };
        }
    }

    /** The pre-tokenizer name ({@code tokenizer.ggml.pre}). */
    public String preTokenizerName() {
        return preTokenizer.name();
    }

    /** Number of usable merge rules. */
    public int mergeCount() {
        return merges.size();
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        IntList out = startEncoding(text.length() / 3 + 2, addBos);
        for (Fragment f : splitter.split(text, parseSpecial)) {
            switch (f) {
                case SpecialTokenSplitter.Text t -> {
                    for (String word : preTokenizer.split(t.text())) {
                        out.addAll(encodeWord(word));
                    }
                }
                case SpecialTokenSplitter.Token t -> out.add(t.id());
            }
        }
        return out.toArray();
    }

    private int[] encodeWord(String word) {
        if (word.length() > CACHE_MAX_CHARS) {
            return bpe(word);
        }
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = bpe(word);
            if (cache.size() >= CACHE_ENTRIES) {
                cache.clear(); // a crude bound; a full cache is rebuilt from the words in use
            }
            cache.put(word, ids);
        }
        return ids;
    }

    /**
     * BPE of one pre-token over a linked list of symbols (token ids, one per byte to start with)
     * and a heap of candidate pairs packed as (rank, left position), O(n log n). Ranks identify
     * rules uniquely, so an entry is current exactly when the pair now at its position still has
     * its rank; otherwise it is stale and skipped.
     */
    private int[] bpe(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        if (preTokenizer.ignoreMerges()) {
            int whole = vocab.id(ByteLevel.encode(bytes));
            if (whole >= 0 && vocab.type(whole).isText()) {
                return new int[] {whole};
            }
        }
        int n = bytes.length;
        int[] ids = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = byteTokens[bytes[i] & 0xFF];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongMinHeap heap = new LongMinHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            offer(heap, ids, i, i + 1);
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long entry = heap.poll();
            int left = (int) entry;
            int right = ids[left] < 0 ? -1 : next[left];
            if (right < 0) {
                continue;
            }
            long rule = merges.get(ids[left], ids[right]);
            if (rule < 0 || MergeTable.rank(rule) != (int) (entry >>> 32)) {
                continue;
            }
            ids[left] = MergeTable.merged(rule);
            ids[right] = -2; // dead
            next[left] = next[right];
            if (next[left] >= 0) {
                prev[next[left]] = left;
            }
            alive--;
            if (prev[left] >= 0) {
                offer(heap, ids, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(heap, ids, left, next[left]);
            }
        }
        IntList out = new IntList(alive);
        for (int i = 0; i >= 0 && n > 0; i = next[i]) {
            if (ids[i] >= 0) {
                out.add(ids[i]);
            } else if (vocab.special().unknown() >= 0) {
                // A byte without a token (only in a malformed vocabulary); llama.cpp drops it.
                out.add(vocab.special().unknown());
            }
        }
        return out.toArray();
    }

    private void offer(LongMinHeap heap, int[] ids, int left, int right) {
        if (ids[left] < 0 || ids[right] < 0) {
            return;
        }
        long rule = merges.get(ids[left], ids[right]);
        if (rule >= 0) {
            heap.add(((long) MergeTable.rank(rule) << 32) | left);
        }
    }

    @Override
    byte[] pieceBytes(int previous, int token, boolean renderSpecial) {
        vocab.checkId(token);
        if (renderSpecial && vocab.type(token) == TokenType.CONTROL) {
            return vocab.text(token).getBytes(StandardCharsets.UTF_8);
        }
        return decoded[token];
    }
}
