package io.inferlab.reports.meta;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a benchmark run writes beside its JMH JSON (DESIGN.md, Results): when it ran (RFC 3339), the
 * git commit when known, the host fingerprint, the model measured and the backend versions. The
 * field names are those of the result store's {@code run-metadata.json}
 * ({@code io.inferlab.harness.results.RunMetadata} in harness/runtime writes it; this is the
 * reading side, which must not pull the runtime in), plus two optional inputs of the decode
 * roofline. Unknown fields are ignored, so either side can grow.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION} for files written by this code
 * @param time          when the run started, with its offset (RFC 3339 text)
 * @param gitCommit     the commit of the code measured, null when unknown
 * @param profile       the bench profile ({@code quick}, {@code nightly}), null when unknown
 * @param host          the machine
 * @param model         the model measured, null when unknown
 * @param backends      backend id to its version
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunMetadata(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("time") OffsetDateTime time,
        @JsonProperty("git_commit") String gitCommit,
        @JsonProperty("profile") String profile,
        @JsonProperty("host") Host host,
        @JsonProperty("model") Model model,
        @JsonProperty("backends") Map<String, String> backends) {
    public static final int SCHEMA_VERSION = 1;

    public RunMetadata {
        Objects.requireNonNull(time, "time");
        backends = backends == null ? Map.of() : Map.copyOf(backends);
    }

    /**
     * The machine. {@code fingerprint} identifies the hardware and software across runs: results
     * are comparable only between runs with the same fingerprint.
     *
     * @param memoryReadBandwidthBytesPerSecond measured read bandwidth with all cores, the decode
     *                                          roofline's numerator; null when not measured
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Host(
            @JsonProperty("fingerprint") String fingerprint,
            @JsonProperty("cpu_model") String cpuModel,
            @JsonProperty("physical_cores") int physicalCores,
            @JsonProperty("logical_cores") int logicalCores,
            @JsonProperty("memory_bytes") long memoryBytes,
            @JsonProperty("gpus") List<String> gpus,
            @JsonProperty("os") String os,
            @JsonProperty("jvm") String jvm,
            @JsonProperty("memory_read_bandwidth_bytes_per_second") Double memoryReadBandwidthBytesPerSecond) {
        public Host {
            gpus = gpus == null ? List.of() : List.copyOf(gpus);
        }
    }

    /**
     * The model file measured.
     *
     * @param tensorTypes         GGML type name to the number of tensors of that type
     * @param weightBytesPerToken bytes of weights one decode step reads, the roofline's
     *                            denominator; null when unknown
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(
            @JsonProperty("path") String path,
            @JsonProperty("sha256") String sha256,
            @JsonProperty("architecture") String architecture,
            @JsonProperty("name") String name,
            @JsonProperty("parameters") long parameters,
            @JsonProperty("tensor_types") Map<String, Integer> tensorTypes,
            @JsonProperty("weight_bytes_per_token") Long weightBytesPerToken) {
        public Model {
            tensorTypes = tensorTypes == null ? Map.of() : Map.copyOf(tensorTypes);
        }
    }
}
