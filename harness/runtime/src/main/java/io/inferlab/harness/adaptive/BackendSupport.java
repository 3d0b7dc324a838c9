package io.inferlab.harness.adaptive;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which model architectures and GGML tensor types a backend runs (null = any). The SPI has no
 * "can you run this" query short of opening the model, so the selector keeps this table of what
 * each backend's loader accepts; the config file can override it, and anything the table misses
 * still fails over at load time in {@link AdaptiveInference}.
 */
public record BackendSupport(@JsonProperty("architectures") Set<String> architectures,
                             @JsonProperty("tensor_types") Set<String> tensorTypes,
                             @JsonProperty("unsupported_tensor_types") Set<String> unsupportedTensorTypes) {

    /** What the backends in this repository accept (their open() checks). */
    public static final Map<String, BackendSupport> BUILT_IN = Map.of(
            "cpu", new BackendSupport(Set.of("llama", "gpt-oss"), null, null),
            "llamacpp", new BackendSupport(Set.of("llama", "gpt-oss"), null, null),
            // OpenClPassFactory runs llama only; OpenClOps has no MXFP4 kernels.
            "opencl", new BackendSupport(Set.of("llama"), null, Set.of("MXFP4")));

    /** Why this backend cannot run the model, or null when it can. */
    public String refusal(String architecture, Map<String, Integer> modelTypes) {
        if (architectures != null && architecture != null && !architectures.contains(architecture)) {
            return "does not run the " + architecture + " architecture (runs " + String.join(", ", architectures.stream().sorted().toList()) + ")";
        }
        Set<String> types = modelTypes == null ? Set.of() : modelTypes.keySet();
        List<String> missing = types.stream().filter(t -> (tensorTypes != null && !tensorTypes.contains(t))
                || (unsupportedTensorTypes != null && unsupportedTensorTypes.contains(t))).sorted().toList();
        return missing.isEmpty() ? null : "has no kernels for " + String.join(", ", missing) + " tensors";
    }
}
