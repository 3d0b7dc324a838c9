package io.inferlab.engine.tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.inferlab.engine.gguf.GgufArray;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.gguf.GgufMetadata;
import io.inferlab.engine.gguf.GgufWriter;

/** Small GGUF vocabularies written to a temporary file and read back, as a model file would be. */
final class TokenizerFixtures {
    static final int UNK = 0;
    static final int BOS = 1;
    static final int EOS = 2;

    private TokenizerFixtures() {
    }

    /** A piece with its score (SentencePiece) or a token with its type (BPE). */
    record Piece(String text, float score, int type) {
        static Piece of(String text, float score) {
            return new Piece(text, score, 1);
        }
    }

    /** Metadata of a file written by {@code setup}. */
    static GgufMetadata metadata(Path dir, Consumer<GgufWriter> setup) {
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", "llama");
        setup.accept(w);
        Path file = dir.resolve("tokenizer-" + System.nanoTime() + ".gguf");
        w.write(file);
        try (GgufFile f = GgufFile.open(file)) {
            return f.metadata();
        }
    }

    /**
     * A SentencePiece vocabulary as llama2.c's converter lays it out: 0 {@code <unk>}, 1 {@code <s>},
     * 2 {@code </s>}, 3..258 byte tokens (when {@code byteTokens}), then {@code pieces}.
     */
    static Consumer<GgufWriter> spm(List<Piece> pieces, boolean byteTokens) {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3));
        if (byteTokens) {
            for (int b = 0; b < 256; b++) {
                tokens.add(String.format("<0x%02X>", b));
                scores.add(0f);
                types.add(6);
            }
        }
        for (Piece p : pieces) {
            tokens.add(p.text());
            scores.add(p.score());
            types.add(p.type());
        }
        return w -> w.put(Tokenizers.MODEL, "llama")
                .put(Tokenizers.TOKENS, GgufArray.of(tokens.toArray(String[]::new)))
                .put(Tokenizers.SCORES, GgufArray.of(floats(scores)))
                .put(Tokenizers.TOKEN_TYPE, GgufArray.of(types.stream().mapToInt(Integer::intValue).toArray()))
                .putUInt32(Tokenizers.UNKNOWN_ID, UNK)
                .putUInt32(Tokenizers.BOS_ID, BOS)
                .putUInt32(Tokenizers.EOS_ID, EOS);
    }

    /**
     * A byte-level BPE vocabulary: 0 {@code <|bos|>} and 1 {@code <|eos|>} (control), then the 256
     * byte characters, then {@code extra} (normal text or special tokens with their type), then one
     * token per merge result, with {@code merges} in rank order.
     */
    static Consumer<GgufWriter> bpe(String pre, List<Piece> extra, List<String> merges) {
        List<String> tokens = new ArrayList<>(List.of("<|bos|>", "<|eos|>"));
        List<Integer> types = new ArrayList<>(List.of(3, 3));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevel.charOf(b)));
            types.add(1);
        }
        for (Piece p : extra) {
            tokens.add(p.text());
            types.add(p.type());
        }
        for (String m : merges) {
            String merged = m.replace(" ", "");
            if (!tokens.contains(merged)) {
                tokens.add(merged);
                types.add(1);
            }
        }
        return w -> w.put(Tokenizers.MODEL, "gpt2")
                .put(Tokenizers.PRE, pre)
                .put(Tokenizers.TOKENS, GgufArray.of(tokens.toArray(String[]::new)))
                .put(Tokenizers.TOKEN_TYPE, GgufArray.of(types.stream().mapToInt(Integer::intValue).toArray()))
                .put(Tokenizers.MERGES, GgufArray.of(merges.toArray(String[]::new)))
                .putUInt32(Tokenizers.BOS_ID, 0)
                .putUInt32(Tokenizers.EOS_ID, 1);
    }

    static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** What a streaming decoder yields for {@code tokens}, pieces concatenated, finish included. */
    static String streamed(Tokenizer.StreamingDecoder decoder, int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(decoder.next(t));
        }
        return sb.append(decoder.finish()).toString();
    }
}
