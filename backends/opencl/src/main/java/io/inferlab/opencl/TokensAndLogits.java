package io.inferlab.opencl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.jocl.CLException;
import org.jocl.cl_mem;

import io.inferlab.engine.model.ForwardPass;

/**
 * The two ends of every OpenCL forward pass, whatever the architecture between them: checked
 * token ids in and their embeddings into the hidden state; after the blocks, the final norm, the
 * output projection, and the logits (or only their argmax) out. Device buffers belong to the pass
 * (allocated from its arena and its memory plan); this class only uses them.
 */
final class TokensAndLogits {
    /** The architecture's blocks over {@code n} tokens at positions {@code pos ..}, on the hidden state. */
    @FunctionalInterface
    interface Blocks {
        void run(int n, int pos);
    }

    /** The device buffers the ends use: {@code x} the hidden state, {@code xb} a scratch of the same size. */
    record Buffers(DeviceTensor embedding, cl_mem outputNorm, DeviceTensor output, cl_mem tokens, cl_mem x, cl_mem xb,
                   cl_mem logits, cl_mem argmax) {
    }

    private final OpenClOps ops;
    private final Buffers b;
    private final int dim;
    private final float rmsEps;
    private final int vocabSize;
    private final int contextLength;
    private final int maxBatch;
    /** Token ids on their way to the device: direct memory, so the write need not wait (see {@link OpenClOps#writeIntsAsync}). */
    private final ByteBuffer hostTokens;
    private final float[] hostLogits;

    TokensAndLogits(OpenClOps ops, Buffers buffers, int dim, float rmsEps, int vocabSize, int contextLength, int maxBatch) {
        this.ops = ops;
        this.b = buffers;
        this.dim = dim;
        this.rmsEps = rmsEps;
        this.vocabSize = vocabSize;
        this.contextLength = contextLength;
        this.maxBatch = maxBatch;
        this.hostTokens = ByteBuffer.allocateDirect(maxBatch * Integer.BYTES).order(ByteOrder.nativeOrder());
        this.hostLogits = new float[vocabSize];
    }

    /** The logits of the last token (the returned array is reused by the next call). */
    float[] lastLogits(int[] tokenIds, int from, int count, int pos, Blocks blocks) {
        try {
            hidden(tokenIds, from, count, pos, blocks);
            outputLogits(count - 1, 1);
            ops.readFloats(b.logits(), 0, hostLogits, vocabSize);
            return hostLogits;
        } catch (CLException e) {
            throw Cl.translate(e, "forward pass");
        }
    }

    /** The argmax of the last token's logits, computed on the device. */
    int lastArgmax(int[] tokenIds, int from, int count, int pos, Blocks blocks) {
        try {
            hidden(tokenIds, from, count, pos, blocks);
            outputLogits(count - 1, 1);
            ops.argmax(b.logits(), 0, vocabSize, b.argmax());
            return ops.readInt(b.argmax());
        } catch (CLException e) {
            throw Cl.translate(e, "forward pass");
        }
    }

    /** The logits of every token into {@code out[outFrom ..]}. */
    void allLogits(int[] tokenIds, int from, int count, int pos, float[][] out, int outFrom, Blocks blocks) {
        try {
            hidden(tokenIds, from, count, pos, blocks);
            outputLogits(0, count);
            for (int t = 0; t < count; t++) {
                ops.readFloats(b.logits(), (long) t * vocabSize, out[outFrom + t], vocabSize);
            }
        } catch (CLException e) {
            throw Cl.translate(e, "forward pass");
        }
    }

    /** Final norm and output projection of batch rows {@code first .. first + n - 1} into {@code logits[0 .. n)}. */
    private void outputLogits(int first, int n) {
        ops.rmsnorm(b.x(), first * dim, b.outputNorm(), dim, rmsEps, b.xb(), 0, n);
        ops.matmul(b.output(), b.xb(), 0, b.logits(), 0, n);
    }

    /** Checks and embeds {@code n} tokens at positions {@code pos ..}, then runs the blocks: hidden states in {@code x}. */
    private void hidden(int[] tokenIds, int from, int n, int pos, Blocks blocks) {
        ForwardPass.checkBatch(tokenIds, from, n, pos, maxBatch, contextLength, vocabSize);
        for (int t = 0; t < n; t++) {
            hostTokens.putInt(t * Integer.BYTES, tokenIds[from + t]);
        }
        // Every public call ends with a blocking read, so the previous write has completed and
        // hostTokens is free to change.
        ops.writeIntsAsync(b.tokens(), hostTokens, n);
        ops.getRows(b.embedding(), b.tokens(), n, b.x(), 0);
        blocks.run(n, pos);
    }
}
