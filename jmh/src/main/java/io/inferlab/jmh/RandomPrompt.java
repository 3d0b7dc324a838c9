package io.inferlab.jmh;

import java.util.SplittableRandom;

import io.inferlab.api.InferenceBackend;

/** Fixed-length prompts of random ordinary token ids (no control or byte tokens). */
public final class RandomPrompt {
    /** Ids below this are unk/BOS/EOS and byte tokens in llama vocabularies. */
    public static final int FIRST_PLAIN_TOKEN = 259;

    private RandomPrompt() {
    }

    public static int[] tokens(InferenceBackend backend, int n, SplittableRandom random) {
        int vocab = backend.model().vocabularySize();
        int[] out = new int[n];
        int[] start = start(backend);
        out[0] = start[0];
        for (int i = 1; i < n; i++) {
            out[i] = FIRST_PLAIN_TOKEN + random.nextInt(Math.max(1, vocab - FIRST_PLAIN_TOKEN));
        }
        return out;
    }

    /** The one-token context decode starts from: BOS when the model has one. */
    public static int[] start(InferenceBackend backend) {
        int[] bos = backend.encode("");
        return new int[] {bos.length > 0 ? bos[0] : FIRST_PLAIN_TOKEN};
    }
}
