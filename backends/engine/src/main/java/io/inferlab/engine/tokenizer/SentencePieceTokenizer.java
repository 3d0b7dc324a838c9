package io.inferlab.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import io.inferlab.engine.tokenizer.SpecialTokenSplitter.Fragment;

/**
 * SentencePiece BPE as llama.cpp's SPM tokenizer and llama2.c run it over a GGUF vocabulary
 * ({@code tokenizer.ggml.model = llama}). Encoding: spaces become '▁' (U+2581), a '▁' is prepended
 * when {@code add_space_prefix} is set (SentencePiece's dummy prefix), the text is split into
 * characters, and the adjacent pair whose concatenation is a vocabulary piece with the highest
 * score is merged until no pair is a piece (ties: the leftmost pair). A character left that is
 * not a piece becomes its UTF-8 bytes as {@code <0xNN>} byte tokens (SentencePiece's byte
 * fallback), or the unknown token when the vocabulary has no byte tokens.
 *
 * <p>Decoding: '▁' becomes a space, byte tokens become their byte, control tokens render as
 * nothing, and a piece that directly follows BOS loses its leading space (the dummy prefix that
 * encoding added; llama2.c's decoder strips it the same way).
 */
public final class SentencePieceTokenizer extends VocabularyTokenizer {
    private static final char SPACE_MARK = '\u2581';
    /** How llama.cpp renders the unknown token of an SPM vocabulary (U+2585 '▅'). */
    private static final byte[] UNKNOWN_PIECE = "\u2585".getBytes(StandardCharsets.UTF_8);

    private final boolean addSpacePrefix;
    private final SpecialTokenSplitter splitter;
    private final TokenIndex index;
    /**
     * Tokens the merge loop may produce: normal and user-defined ones. Control, byte and unknown
     * tokens are never matched from text, as in SentencePiece (llama.cpp's lookup would also
     * accept them, which only matters for text spelling e.g. "&lt;0x41&gt;" through mergeable pairs).
     */
    private final boolean[] isPiece;
    private final int[] byteTokens = new int[256];
    private final byte[][] decoded;

    SentencePieceTokenizer(Vocabulary vocab, boolean addBos, boolean addSpacePrefix) {
        super(vocab, addBos);
        this.addSpacePrefix = addSpacePrefix;
        this.splitter = new SpecialTokenSplitter(vocab);
        this.index = vocab.index();
        this.isPiece = new boolean[vocab.size()];
        this.decoded = new byte[vocab.size()][];
        for (int b = 0; b < 256; b++) {
            byteTokens[b] = vocab.id(String.format("<0x%02X>", b));
        }
        for (int id = 0; id < vocab.size(); id++) {
            TokenType type = vocab.type(id);
            String text = vocab.text(id);
            isPiece[id] = type.isText() || type == TokenType.USER_DEFINED;
            decoded[id] = switch (type) {
                case NORMAL, UNDEFINED -> text.replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
                case USER_DEFINED -> text.getBytes(StandardCharsets.UTF_8);
                case BYTE -> byteTokenValue(text);
                case UNKNOWN -> UNKNOWN_PIECE;
                case CONTROL, UNUSED -> nothing();
            };
        }
    }

    /** Whether a '▁' is prepended to text (SentencePiece's {@code add_dummy_prefix}). */
    public boolean addsSpacePrefix() {
        return addSpacePrefix;
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        IntList out = startEncoding(text.length() / 2 + 2, addBos);
        // llama.cpp prefixes a space to the first text fragment and to each one after a special token.
        boolean afterSpecial = true;
        for (Fragment f : splitter.split(text, parseSpecial)) {
            switch (f) {
                case SpecialTokenSplitter.Text t -> {
                    encodeText(t.text(), addSpacePrefix && afterSpecial, out);
                    afterSpecial = false;
                }
                case SpecialTokenSplitter.Token t -> {
                    out.add(t.id());
                    afterSpecial = true;
                }
            }
        }
        return out.toArray();
    }

    /**
     * The merge loop over a doubly linked list of symbols (spans of {@code s}) with a heap of
     * candidate pairs, O(n log n). Heap entries pack (score, left symbol); an entry is stale once
     * either symbol changed, which is detected by looking the pair up again: if the current pair
     * at that position has the same score, it has the same priority as its own fresh entry, so
     * merging it now is what the fresh entry would do.
     */
    private void encodeText(String text, boolean spacePrefix, IntList out) {
        String s = (spacePrefix ? SPACE_MARK + text : text).replace(' ', SPACE_MARK);
        int n = s.codePointCount(0, s.length());
        int[] start = new int[n];
        int[] end = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, pos = 0; i < n; i++) {
            start[i] = pos;
            pos += Character.charCount(s.codePointAt(pos));
            end[i] = pos;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongMinHeap heap = new LongMinHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            offer(heap, s, start, end, i, i + 1);
        }
        while (!heap.isEmpty()) {
            long entry = heap.poll();
            int left = (int) entry;
            int right = start[left] < 0 ? -1 : next[left];
            if (right < 0) {
                continue;
            }
            int id = pieceId(s, start[left], end[right]);
            if (id < 0 || priority(vocab.score(id)) != (int) (entry >> 32)) {
                continue; // stale: the symbols changed since this pair was offered
            }
            end[left] = end[right];
            start[right] = -1;
            next[left] = next[right];
            if (next[left] >= 0) {
                prev[next[left]] = left;
            }
            if (prev[left] >= 0) {
                offer(heap, s, start, end, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(heap, s, start, end, left, next[left]);
            }
        }
        for (int i = 0; i >= 0 && n > 0; i = next[i]) {
            int id = pieceId(s, start[i], end[i]);
            if (id >= 0) {
                out.add(id);
            } else {
                addByteFallback(s.substring(start[i], end[i]), out);
            }
        }
    }

    /** The piece spelled {@code s[from, to)}, or -1. */
    private int pieceId(String s, int from, int to) {
        int id = index.find(s, from, to);
        return id >= 0 && isPiece[id] ? id : -1;
    }

    /** A symbol that is no piece: its UTF-8 bytes as byte tokens, else one unknown token. */
    private void addByteFallback(String symbol, IntList out) {
        byte[] bytes = symbol.getBytes(StandardCharsets.UTF_8);
        boolean allBytes = true;
        for (byte b : bytes) {
            allBytes &= byteTokens[b & 0xFF] >= 0;
        }
        if (allBytes) {
            for (byte b : bytes) {
                out.add(byteTokens[b & 0xFF]);
            }
        } else if (vocab.special().unknown() >= 0) {
            out.add(vocab.special().unknown());
        }
        // else: neither byte tokens nor an unknown token; the character cannot be represented.
    }

    private void offer(LongMinHeap heap, String s, int[] start, int[] end, int left, int right) {
        int id = pieceId(s, start[left], end[right]);
        if (id >= 0) {
            heap.add(((long) priority(vocab.score(id)) << 32) | left);
        }
    }

    /**
     * A score as an int that orders the opposite way (higher score, smaller int), so the min-heap
     * pops the best pair first: IEEE-754 bits made monotonic for negatives, then complemented.
     */
    private static int priority(float score) {
        int bits = Float.floatToIntBits(score);
        return ~(bits ^ ((bits >> 31) & 0x7FFF_FFFF));
    }

    @Override
    byte[] pieceBytes(int previous, int token, boolean renderSpecial) {
        vocab.checkId(token);
        TokenType type = vocab.type(token);
        if (renderSpecial && type == TokenType.CONTROL) {
            return vocab.text(token).getBytes(StandardCharsets.UTF_8);
        }
        byte[] piece = decoded[token];
        if (addSpacePrefix && previous >= 0 && previous == bos() && type.isText()
                && piece.length > 0 && piece[0] == ' ') {
            return Arrays.copyOfRange(piece, 1, piece.length);
        }
        return piece;
    }

    /** The byte a {@code <0xNN>} token stands for; a malformed byte token renders as its text. */
    private static byte[] byteTokenValue(String text) {
        if (text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")
                && HexFormat.isHexDigit(text.charAt(3)) && HexFormat.isHexDigit(text.charAt(4))) {
            return new byte[] {(byte) HexFormat.fromHexDigits(text, 3, 5)};
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
