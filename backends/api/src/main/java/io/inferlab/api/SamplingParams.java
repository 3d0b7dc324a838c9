package io.inferlab.api;

/**
 * Token sampling. {@code temperature == 0} is greedy (argmax; ties go to the lowest id).
 *
 * @param topK  keep the k most likely tokens (0 = no limit)
 * @param topP  keep the smallest set whose probability reaches p (1 = no limit)
 * @param seed  seed of the random stream, so sampled runs repeat
 */
public record SamplingParams(float temperature, int topK, float topP, long seed) {
    public SamplingParams {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
    }

    public static SamplingParams greedy() {
        return new SamplingParams(0f, 0, 1f, 0L);
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }
}
