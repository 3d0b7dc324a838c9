package io.inferlab.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.inferlab.api.SamplingParams;

class SamplerTest {
    private static final float[] LOGITS = {1f, 3f, 2f, 3f, -1f, 0.5f};

    @Test
    void greedyPicksArgmaxWithTiesToLowestId() {
        assertEquals(1, new Sampler(SamplingParams.greedy(), LOGITS.length).sample(LOGITS, LOGITS.length));
    }

    @Test
    void topKOneIsGreedyEvenWhenSampling() {
        Sampler s = new Sampler(new SamplingParams(1.5f, 1, 1f, 7), LOGITS.length);
        for (int i = 0; i < 50; i++) {
            assertEquals(1, s.sample(LOGITS, LOGITS.length));
        }
    }

    @Test
    void topKRestrictsTheCandidates() {
        Sampler s = new Sampler(new SamplingParams(5f, 3, 1f, 7), LOGITS.length);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            seen.add(s.sample(LOGITS, LOGITS.length));
        }
        assertEquals(Set.of(1, 2, 3), seen);
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        // Probabilities at T=1: tokens 1 and 3 hold e^3 each; with p = 0.5 the two of them suffice.
        Sampler s = new Sampler(new SamplingParams(1f, 0, 0.5f, 3), LOGITS.length);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            seen.add(s.sample(LOGITS, LOGITS.length));
        }
        assertTrue(Set.of(1, 3).containsAll(seen), "sampled outside the nucleus: " + seen);
    }

    @Test
    void frequenciesFollowTheSoftmax() {
        float[] logits = {0f, (float) Math.log(3)}; // p = 0.25, 0.75
        Sampler s = new Sampler(new SamplingParams(1f, 0, 1f, 11), 2);
        int ones = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            ones += s.sample(logits, 2);
        }
        assertEquals(0.75, ones / (double) n, 0.02);
    }

    @Test
    void sameSeedRepeats() {
        int[] a = new int[100];
        int[] b = new int[100];
        Sampler s1 = new Sampler(new SamplingParams(1f, 0, 0.9f, 99), LOGITS.length);
        Sampler s2 = new Sampler(new SamplingParams(1f, 0, 0.9f, 99), LOGITS.length);
        for (int i = 0; i < 100; i++) {
            a[i] = s1.sample(LOGITS, LOGITS.length);
            b[i] = s2.sample(LOGITS, LOGITS.length);
        }
        assertArrayEquals(a, b);
    }
}
