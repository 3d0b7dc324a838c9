package io.inferlab.engine.kernels;

/**
 * Rotary position embedding with precomputed cos/sin per position. Two layouts, as GGML names
 * them: {@link Layout#NORMAL} rotates interleaved pairs (2i, 2i+1), the original RoPE and
 * llama.cpp's choice for the {@code llama} architecture; {@link Layout#NEOX} rotates halves
 * (i, i + d/2), GPT-NeoX's layout. Only the first {@code rotaryDim} values of a head rotate.
 * Frequencies: theta_i = pos / scale * base^(-2i/rotaryDim) / freqFactor_i (linear scaling and
 * Llama 3's per-dimension factors from the {@code rope_freqs} tensor).
 */
public final class Rope {
    public enum Layout { NORMAL, NEOX }

    private final Layout layout;
    private final int headDim;
    private final int rotaryDim;
    private final float[] cos;
    private final float[] sin;

    public Rope(Layout layout, int headDim, int rotaryDim, int maxPositions, float base, float linearScale,
                float[] freqFactors) {
        if (rotaryDim <= 0 || rotaryDim > headDim || rotaryDim % 2 != 0) {
            throw new IllegalArgumentException("rotary dimension " + rotaryDim + " must be even and in (0, " + headDim + "]");
        }
        if (freqFactors != null && freqFactors.length < rotaryDim / 2) {
            throw new IllegalArgumentException("rope_freqs has " + freqFactors.length + " factors, need " + rotaryDim / 2);
        }
        this.layout = layout;
        this.headDim = headDim;
        this.rotaryDim = rotaryDim;
        int half = rotaryDim / 2;
        this.cos = new float[Math.multiplyExact(maxPositions, half)];
        this.sin = new float[cos.length];
        for (int i = 0; i < half; i++) {
            double invFreq = Math.pow(base, -2.0 * i / rotaryDim) / (freqFactors == null ? 1.0 : freqFactors[i]);
            for (int p = 0; p < maxPositions; p++) {
                double angle = p / (double) linearScale * invFreq;
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
    }

    public Layout layout() {
        return layout;
    }

    public int maxPositions() {
        return cos.length / (rotaryDim / 2);
    }

    /** Rotates {@code heads} consecutive heads of {@code headDim} values at {@code x[off..]} for {@code pos}. */
    public void apply(float[] x, int off, int heads, int pos) {
        int half = rotaryDim / 2;
        int t = pos * half;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                int a = layout == Layout.NORMAL ? base + 2 * i : base + i;
                int b = layout == Layout.NORMAL ? a + 1 : a + half;
                float c = cos[t + i];
                float s = sin[t + i];
                float x0 = x[a];
                float x1 = x[b];
                x[a] = x0 * c - x1 * s;
                x[b] = x0 * s + x1 * c;
            }
        }
    }
}
