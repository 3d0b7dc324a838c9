package io.inferlab.engine.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.inferlab.engine.tensor.Tensor;

/** Byte counts over weight tensors, for roofline numerators and compute-mode labels. */
final class WeightStats {
    private WeightStats() {
    }

    static long bytes(Collection<Tensor> tensors) {
        return tensors.stream().mapToLong(t -> t.data().byteSize()).sum();
    }

    /** The lower-case GGML type name holding the most bytes, e.g. "q8_0" ("f32" for none). */
    static String dominantTypeName(Collection<Tensor> tensors) {
        return tensors.stream()
                .collect(Collectors.groupingBy(Tensor::type, Collectors.summingLong(t -> t.data().byteSize())))
                .entrySet().stream().max(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .map(e -> e.getKey().name().toLowerCase(Locale.ROOT)).orElse("f32");
    }
}
