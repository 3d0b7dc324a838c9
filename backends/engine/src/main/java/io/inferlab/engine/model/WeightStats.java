package io.inferlab.engine.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.inferlab.engine.tensor.Tensor;

/** Counts over weight tensors, for roofline numerators (bytes) and compute-mode labels (elements). */
final class WeightStats {
    private WeightStats() {
    }

    static long bytes(Collection<Tensor> tensors) {
        return tensors.stream().mapToLong(t -> t.data().byteSize()).sum();
    }

    /**
     * The lower-case GGML type name holding the most weights, e.g. "q8_0" ("f32" for none). Counted
     * in elements, not bytes: a model quantized to Q8_0 except a few F32 matrices whose rows are
     * not whole blocks (stories260K's ffn_down) is a Q8_0 model, though F32 takes more bytes.
     */
    static String dominantTypeName(Collection<Tensor> tensors) {
        return tensors.stream()
                .collect(Collectors.groupingBy(Tensor::type, Collectors.summingLong(Tensor::elementCount)))
                .entrySet().stream().max(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .map(e -> e.getKey().name().toLowerCase(Locale.ROOT)).orElse("f32");
    }
}
