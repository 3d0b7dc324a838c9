package io.inferlab.llamacpp;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.inferlab.api.InferLabException;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.gguf.GgufTensorInfo;

/**
 * What the GGUF header says about the weights, read with InferLab's own reader so that
 * {@link io.inferlab.api.ModelInfo} means the same on every backend: tensor counts per GGML type,
 * bytes of tensor data, bytes one decode step reads (every matrix once plus one embedding row; the
 * roofline's numerator) and the type of most matrix elements, i.e. of most multiply-adds (for the
 * compute mode; counted by elements, not bytes, because a quantized file can keep a few matrices in
 * F32, e.g. stories260K's ffn_down whose 172 columns are no multiple of the 32-value block, and
 * those would outweigh the quantized ones in bytes).
 */
record GgufFacts(Map<String, Integer> tensorTypes, long weightBytes, long bytesPerToken, String dominantMatrixType) {
    static final String TOKEN_EMBEDDING = "token_embd.weight";
    static final String OUTPUT = "output.weight";

    GgufFacts {
        tensorTypes = Map.copyOf(tensorTypes);
    }

    /** The facts, or empty when InferLab's reader cannot read a file that llama.cpp could (e.g. K-quants). */
    static Optional<GgufFacts> read(Path path) {
        try (GgufFile file = GgufFile.open(path)) {
            return Optional.of(of(file));
        } catch (InferLabException e) {
            return Optional.empty();
        }
    }

    static GgufFacts of(GgufFile file) {
        Map<String, Integer> types = new TreeMap<>(file.tensorInfos().stream()
                .collect(Collectors.groupingBy(t -> t.type().name(), Collectors.summingInt(t -> 1))));
        boolean tied = file.tensorInfo(OUTPUT).isEmpty();
        Map<String, Long> matrixElements = new TreeMap<>();
        long perToken = 0;
        for (GgufTensorInfo t : file.tensorInfos()) {
            boolean embedding = t.name().equals(TOKEN_EMBEDDING);
            if (t.shape().length < 2) {
                continue; // norms and biases: negligible, as in the engine's count
            }
            if (embedding) {
                long rows = t.shape()[1];
                perToken += rows > 0 ? t.byteSize() / rows : 0;
                if (!tied) {
                    continue;
                }
            }
            // A matrix every decode step reads in full (with tied output: the embedding as output).
            perToken += t.byteSize();
            matrixElements.merge(t.type().name().toLowerCase(Locale.ROOT), t.elementCount(), Long::sum);
        }
        String dominant = matrixElements.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey).orElse("f32");
        return new GgufFacts(types, file.tensorBytes(), perToken, dominant);
    }
}
