package io.inferlab.engine.gguf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.inferlab.api.ModelFormatException;

/**
 * A GGUF file's key/value metadata in file order. Scalars are stored as {@code Byte/Short/Integer/
 * Long} (unsigned ones widened to the next signed type that holds them: UINT8 as Short, UINT16 as
 * Integer, UINT32 as Long, UINT64 as Long bits), {@code Float}, {@code Double}, {@code Boolean},
 * {@code String}; arrays as {@link GgufArray}. Typed getters name the key and the file on error.
 */
public final class GgufMetadata {
    private final Path file;
    private final Map<String, Object> values;
    private final Map<String, GgufValueType> types;

    GgufMetadata(Path file, Map<String, Object> values, Map<String, GgufValueType> types) {
        this.file = file;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.types = Map.copyOf(types);
    }

    public Path file() {
        return file;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /** The stored type of {@code key}, if present. */
    public Optional<GgufValueType> type(String key) {
        return Optional.ofNullable(types.get(key));
    }

    public Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public String getString(String key) {
        return optString(key).orElseThrow(() -> missing(key, "string"));
    }

    public Optional<String> optString(String key) {
        return typed(key, String.class, "string");
    }

    /** An integer value of any integer type that fits in an int. */
    public int getInt(String key) {
        return optInt(key).orElseThrow(() -> missing(key, "integer"));
    }

    public Optional<Integer> optInt(String key) {
        return optLong(key).map(v -> {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw invalid(key, "integer " + v + " does not fit in 32 bits");
            }
            return (int) (long) v;
        });
    }

    /** An integer value of any integer type; a UINT64 of 2^63 or more is an error (its bits are in {@link #get}). */
    public long getLong(String key) {
        return optLong(key).orElseThrow(() -> missing(key, "integer"));
    }

    public Optional<Long> optLong(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
            long l = ((Number) v).longValue();
            if (l < 0 && types.get(key) == GgufValueType.UINT64) {
                // UINT64 is stored as its bits: a negative long here is a value of 2^63 or more.
                throw invalid(key, "UINT64 value " + Long.toUnsignedString(l) + " does not fit in a signed 64-bit long");
            }
            return Optional.of(l);
        }
        throw invalid(key, "expected an integer, found " + types.get(key));
    }

    /** A floating-point value (FLOAT32 or FLOAT64; integers are accepted too). */
    public float getFloat(String key) {
        return optFloat(key).orElseThrow(() -> missing(key, "float"));
    }

    public Optional<Float> optFloat(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Long l && l < 0 && types.get(key) == GgufValueType.UINT64) {
            return Optional.of(Float.parseFloat(Long.toUnsignedString(l))); // UINT64 bits of 2^63 or more
        }
        if (v instanceof Number n) {
            return Optional.of(n.floatValue());
        }
        throw invalid(key, "expected a number, found " + types.get(key));
    }

    public Optional<Boolean> optBoolean(String key) {
        return typed(key, Boolean.class, "bool");
    }

    public GgufArray getArray(String key) {
        return optArray(key).orElseThrow(() -> missing(key, "array"));
    }

    public Optional<GgufArray> optArray(String key) {
        return typed(key, GgufArray.class, "array");
    }

    public String[] getStringArray(String key) {
        return arrayOf(key, GgufValueType.STRING, String[].class);
    }

    public Optional<float[]> optFloatArray(String key) {
        return optArray(key).map(a -> arrayOf(key, GgufValueType.FLOAT32, float[].class));
    }

    /** INT32 or UINT32 array as ints (bits kept). */
    public Optional<int[]> optIntArray(String key) {
        return optArray(key).map(a -> {
            if (a.elementType() != GgufValueType.INT32 && a.elementType() != GgufValueType.UINT32) {
                throw invalid(key, "expected an array of INT32, found an array of " + a.elementType());
            }
            return (int[]) a.values();
        });
    }

    private <T> T arrayOf(String key, GgufValueType elementType, Class<T> javaType) {
        GgufArray a = getArray(key);
        if (a.elementType() != elementType) {
            throw invalid(key, "expected an array of " + elementType + ", found an array of " + a.elementType());
        }
        return javaType.cast(a.values());
    }

    private <T> Optional<T> typed(String key, Class<T> javaType, String what) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!javaType.isInstance(v)) {
            throw invalid(key, "expected " + what + ", found " + types.get(key));
        }
        return Optional.of(javaType.cast(v));
    }

    private ModelFormatException missing(String key, String what) {
        return new ModelFormatException(file, "missing required metadata key '" + key + "' (" + what + ")");
    }

    /** An error about the value of {@code key}. */
    public ModelFormatException invalid(String key, String problem) {
        return new ModelFormatException(file, "metadata key '" + key + "': " + problem);
    }
}
