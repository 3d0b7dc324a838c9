package io.inferlab.engine.gguf;

import java.lang.reflect.Array;
import java.util.Objects;

/**
 * A GGUF array value. {@code values} is a Java array matching the element type: {@code byte[]}
 * for (U)INT8, {@code short[]} for (U)INT16, {@code int[]} for (U)INT32, {@code long[]} for
 * (U)INT64, {@code float[]}, {@code double[]}, {@code boolean[]}, {@code String[]}, or
 * {@code GgufArray[]} for nested arrays. Unsigned values keep their bits (read them with the
 * {@code Integer/Long.toUnsigned*} helpers).
 */
public record GgufArray(GgufValueType elementType, Object values) {
    public GgufArray {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(values, "values");
        Class<?> expected = javaArrayClass(elementType);
        if (values.getClass() != expected) {
            throw new IllegalArgumentException(elementType + " array needs " + expected.getSimpleName()
                    + ", got " + values.getClass().getSimpleName());
        }
    }

    public int length() {
        return Array.getLength(values);
    }

    public static GgufArray of(float... v) {
        return new GgufArray(GgufValueType.FLOAT32, v);
    }

    public static GgufArray of(int... v) {
        return new GgufArray(GgufValueType.INT32, v);
    }

    public static GgufArray of(String... v) {
        return new GgufArray(GgufValueType.STRING, v);
    }

    static Class<?> javaArrayClass(GgufValueType t) {
        return switch (t) {
            case UINT8, INT8 -> byte[].class;
            case UINT16, INT16 -> short[].class;
            case UINT32, INT32 -> int[].class;
            case UINT64, INT64 -> long[].class;
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case BOOL -> boolean[].class;
            case STRING -> String[].class;
            case ARRAY -> GgufArray[].class;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufArray a && elementType == a.elementType
                && java.util.Objects.deepEquals(values, a.values);
    }

    @Override
    public int hashCode() {
        return elementType.hashCode() * 31 + length();
    }

    @Override
    public String toString() {
        return "GgufArray[" + elementType + " x " + length() + "]";
    }
}
