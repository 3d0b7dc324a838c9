package io.inferlab.engine.kernels;

/**
 * Rotary position embedding with precomputed cos/sin per position. Two layouts, as GGML names
 * them: {@link Layout#NORMAL} rotates interleaved pairs (2i, 2i+1), the original RoPE and
 * llama.cpp's choice for the {@code llama} architecture; {@link Layout#NEOX} rotates halves
 * (i, i + d/2), GPT-NeoX's layout. Only the first {@code rotaryDim} values of a head rotate.
 * Frequencies: theta_i = pos / scale * base^(-2i/rotaryDim) / freqFactor_i (linear scaling and
 * Llama 3's per-dimension factors from the {@code rope_freqs} tensor), or YaRN's blend of that
 * interpolated angle with the unscaled one (see {@link Yarn}).
 */
public final class Rope {
    public enum Layout { NORMAL, NEOX }

    /**
     * YaRN context extension (Peng et al. 2023, "YaRN: Efficient Context Window Extension of Large
     * Language Models"), with GGML's definitions (ggml_rope_yarn_corr_dims, rope_yarn):
     * <ul>
     *   <li>pair i's angle blends the interpolated angle theta / factor with the original theta:
     *       theta_i' = theta_i / factor * (1 - r_i) + theta_i * r_i, where the ramp r_i is 1 for
     *       fast-turning pairs (i below {@code low}), 0 for slow ones (above {@code high}), and
     *       linear between: r_i = 1 - clamp((i - low) / max(0.001, high - low), 0, 1);</li>
     *   <li>the corrected dimensions: the pair index at which a dimension turns {@code beta} times
     *       over the original context, d(beta) = rotaryDim * ln(originalContext / (2 pi beta)) /
     *       (2 ln base); low = max(0, floor(d(betaFast))), high = min(rotaryDim - 1, ceil(d(betaSlow)));</li>
     *   <li>magnitude scaling: cos and sin are multiplied by 1 + 0.1 ln(factor).</li>
     * </ul>
     *
     * @param originalContext the context the model was trained with before extension
     * @param betaFast        rotations over the original context above which a pair is not interpolated (GGML default 32)
     * @param betaSlow        rotations below which a pair is fully interpolated (GGML default 1)
     */
    public record Yarn(int originalContext, float betaFast, float betaSlow) {
        public static final float DEFAULT_BETA_FAST = 32f;
        public static final float DEFAULT_BETA_SLOW = 1f;

        public Yarn {
            if (originalContext <= 0) {
                throw new IllegalArgumentException("YaRN original context must be positive, got " + originalContext);
            }
            if (!(betaFast > 0 && betaSlow > 0)) {
                throw new IllegalArgumentException("YaRN betas must be positive, got " + betaFast + ", " + betaSlow);
            }
        }

        /** [low, high]: the corrected dimensions (pair indices) between which the ramp runs. */
        public float[] correctionRange(int rotaryDim, float base) {
            double low = Math.floor(correctionDim(rotaryDim, base, betaFast));
            double high = Math.ceil(correctionDim(rotaryDim, base, betaSlow));
            return new float[] {(float) Math.max(0, low), (float) Math.min(rotaryDim - 1, high)};
        }

        private double correctionDim(int rotaryDim, float base, float rotations) {
            return rotaryDim * Math.log(originalContext / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
        }

        /** 1 for pair {@code i} below the range (original angle), 0 above it (interpolated), linear between. */
        static double ramp(float[] range, int i) {
            double y = (i - range[0]) / Math.max(0.001, range[1] - range[0]);
            return 1 - Math.min(1, Math.max(0, y));
        }

        /** The attention magnitude correction YaRN applies through cos and sin. */
        public static double magnitudeScale(float factor) {
            return 1 + 0.1 * Math.log(factor);
        }
    }

    private final Layout layout;
    private final int headDim;
    private final int rotaryDim;
    private final float[] cos;
    private final float[] sin;

    public Rope(Layout layout, int headDim, int rotaryDim, int maxPositions, float base, float linearScale,
                float[] freqFactors) {
        this(layout, headDim, rotaryDim, maxPositions, base, linearScale, freqFactors, null);
    }

    /**
     * @param scale  linear scaling, or YaRN's factor when {@code yarn} is given
     * @param yarn   YaRN's parameters, or null for plain (linearly scaled) RoPE
     */
    public Rope(Layout layout, int headDim, int rotaryDim, int maxPositions, float base, float scale,
                float[] freqFactors, Yarn yarn) {
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
        float[] range = yarn == null ? null : yarn.correctionRange(rotaryDim, base);
        double magnitude = yarn == null ? 1 : Yarn.magnitudeScale(scale);
        for (int i = 0; i < half; i++) {
            double invFreq = Math.pow(base, -2.0 * i / rotaryDim) / (freqFactors == null ? 1.0 : freqFactors[i]);
            // The share of the original (unscaled) angle: none for linear scaling.
            double keep = yarn == null ? 0 : Yarn.ramp(range, i);
            for (int p = 0; p < maxPositions; p++) {
                double original = p * invFreq;
                double angle = original / scale * (1 - keep) + original * keep;
                cos[p * half + i] = (float) (Math.cos(angle) * magnitude);
                sin[p * half + i] = (float) (Math.sin(angle) * magnitude);
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
