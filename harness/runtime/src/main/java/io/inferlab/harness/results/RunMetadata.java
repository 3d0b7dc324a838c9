package io.inferlab.harness.results;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a benchmark run was about, written as {@code run-metadata.json} beside its
 * {@code jmh-result.json} (DESIGN.md, Results). The selector keys stored runs by
 * {@code host.fingerprint} and {@code model.sha256}; reports show the rest.
 *
 * @param schemaVersion  1; bumped on incompatible changes
 * @param time           start of the run, RFC 3339 (UTC)
 * @param gitCommit      commit of the InferLab checkout that ran, or null when unknown
 * @param profile        quick or nightly
 * @param backends       provider id to its version / compute description
 * Host and model carry the two numbers of the decode roofline (bandwidth / bytes per token); both
 * are null when the run did not measure them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunMetadata(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("time") String time,
        @JsonProperty("git_commit") String gitCommit,
        @JsonProperty("profile") String profile,
        @JsonProperty("host") Host host,
        @JsonProperty("model") Model model,
        @JsonProperty("backends") Map<String, String> backends) {

    public static final int SCHEMA_VERSION = 1;

    /** The machine, with the fingerprint that identifies it across runs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
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
    }

    /** The model file that was measured. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Model(
            @JsonProperty("path") String path,
            @JsonProperty("sha256") String sha256,
            @JsonProperty("architecture") String architecture,
            @JsonProperty("name") String name,
            @JsonProperty("parameters") long parameters,
            @JsonProperty("tensor_types") Map<String, Integer> tensorTypes,
            @JsonProperty("weight_bytes_per_token") Long weightBytesPerToken) {
    }
}
