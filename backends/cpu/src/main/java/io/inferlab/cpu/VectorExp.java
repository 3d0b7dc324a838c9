package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code e^y} over arrays in vectors, for SwiGLU and softmax: one {@code Math.exp} call per value
 * was 6% of a prefill (SwiGLU) and grows with the context in attention (softmax). The Vector API's
 * lanewise EXP is no alternative: compiled it calls the JDK's vector math library and
 * interpreted {@code Math.exp}, which differ in the last bits, so results would depend on which
 * thread had compiled code. This polynomial gives the same bits everywhere.
 *
 * <p>{@code y = n ln2 + r} with {@code n} an integer (rounded by adding 1.5 * 2^23, whose low
 * mantissa bits then hold {@code n}) and {@code |r| <= ln2 / 2}, so {@code e^y = 2^n e^r}:
 * {@code e^r} by Cephes' {@code expf} polynomial, within 2 ulp of {@code Math.exp}; {@code 2^n}
 * as {@code 2 * 2^(n - 1)} so that {@code n = 128} still has an exponent. Below {@link #LOW}
 * {@code e^y} is under 2.4e-38 and comes out 0 ({@code Math.exp} gives a subnormal there), above
 * {@link #HIGH} infinity; NaN stays NaN.
 */
final class VectorExp {
    /** -125 ln2 and 128 ln2, rounded towards zero to floats: the range computed. */
    static final float LOW = -86.643f;
    static final float HIGH = 88.72283f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND = 0x1.8p23f;
    /** ln2 in two parts (Cody and Waite): {@code n * LN2_HIGH} is exact. */
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    /** Cephes' coefficients of {@code (e^r - 1 - r) / r^2}. */
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private VectorExp() {
    }

    /**
     * {@code dst[dstOff + i] = e^(sign * src[srcOff + i] + shift)} for {@code i < n}; {@code src}
     * and {@code dst} may be the same range. The last vector is masked, not finished by a scalar
     * loop, so a value's result does not depend on where a range starts.
     */
    static void exp(float[] src, int srcOff, float sign, float shift, float[] dst, int dstOff, int n) {
        // The arithmetic is written out in the loop: a helper returning a vector may be compiled on
        // its own and then box its result on every call (see MatVec).
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector y = FloatVector.fromArray(F, src, srcOff + i, m).fma(sign, shift);
            FloatVector yc = y.max(LOW).min(HIGH);
            FloatVector t = yc.fma(LOG2E, ROUND);
            FloatVector whole = t.sub(ROUND);
            FloatVector r = whole.fma(FloatVector.broadcast(F, -LN2_HIGH), yc);
            r = whole.fma(FloatVector.broadcast(F, -LN2_LOW), r);
            FloatVector p = r.fma(P0, P1);
            p = p.fma(r, FloatVector.broadcast(F, P2));
            p = p.fma(r, FloatVector.broadcast(F, P3));
            p = p.fma(r, FloatVector.broadcast(F, P4));
            p = p.fma(r, FloatVector.broadcast(F, P5));
            FloatVector er = p.fma(r.mul(r), r).add(1f);
            FloatVector twoToNMinus1 = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(126 << 23)
                    .reinterpretAsFloats();
            er.mul(2f).mul(twoToNMinus1)
                    .blend(0f, y.compare(VectorOperators.LT, LOW))
                    .blend(Float.POSITIVE_INFINITY, y.compare(VectorOperators.GT, HIGH))
                    .intoArray(dst, dstOff + i, m);
        }
    }
}
