package io.inferlab.reports.meta;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a benchmark run writes beside its JMH JSON (see {@link RunMetadataFiles} for the file name):
 * when it ran (RFC 3339), the git commit when known, the host fingerprint, the models measured and
 * the versions of the backends. The reports read it for the environment section, the history
 * order and the decode roofline; the selector reads it to match results to hosts.
 *
 * @param schemaVersion   {@link #SCHEMA_VERSION} for files written by this code
 * @param time            when the run started, with its offset (written as RFC 3339 text)
 * @param gitCommit       the commit of the code measured, null when unknown
 * @param host            the machine
 * @param models          the models measured; a result's {@code model} param names one of them
 * @param backendVersions backend id to its version ({@code cpu} to the engine version,
 *                        {@code llamacpp} to its build)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunMetadata(int schemaVersion, OffsetDateTime time, String gitCommit, Host host, List<ModelIdentity> models,
        Map<String, String> backendVersions) {
    public static final int SCHEMA_VERSION = 1;

    public RunMetadata {
        Objects.requireNonNull(time, "time");
        models = models == null ? List.of() : List.copyOf(models);
        backendVersions = backendVersions == null ? Map.of() : Map.copyOf(backendVersions);
    }

    /**
     * The model a result measured: the one whose name or file name equals the result's
     * {@code model} param, or the only model of the run.
     */
    public Optional<ModelIdentity> modelFor(String modelParam) {
        if (modelParam != null) {
            for (ModelIdentity m : models) {
                if (modelParam.equals(m.name()) || (m.path() != null && m.path().endsWith(modelParam))) {
                    return Optional.of(m);
                }
            }
        }
        return models.size() == 1 ? Optional.of(models.getFirst()) : Optional.empty();
    }

    /**
     * The machine a run measured. Together these fields are the host fingerprint: results are
     * comparable only between runs whose fingerprints match.
     *
     * @param memoryReadBandwidthBytesPerSecond measured read bandwidth with all cores: the decode
     *                                          roofline's numerator; null when not measured
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Host(String hostname, String cpuModel, int cores, long memoryBytes, List<Gpu> gpus, String os, String jvm,
            Double memoryReadBandwidthBytesPerSecond) {
        public Host {
            gpus = gpus == null ? List.of() : List.copyOf(gpus);
        }

        /** A short, stable id of the hardware and software (not the host name): SHA-256, 16 hex digits. */
        public String fingerprint() {
            StringBuilder s = new StringBuilder().append(cpuModel).append('|').append(cores).append('|').append(memoryBytes)
                    .append('|').append(os).append('|').append(jvm);
            gpus.forEach(g -> s.append('|').append(g.name()).append('/').append(g.memoryBytes()).append('/').append(g.driver()));
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(digest, 0, 8);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by every Java platform", e);
            }
        }
    }

    /** A GPU of the host. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Gpu(String name, String vendor, Long memoryBytes, String driver) {
    }

    /**
     * A model measured in the run.
     *
     * @param name                a short name, matched against a result's {@code model} param
     * @param tensorTypes         GGML type names of its weights ({@code Q8_0}, {@code MXFP4})
     * @param weightBytesPerToken bytes of weights one decode step reads: the roofline's
     *                            denominator; null when unknown
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelIdentity(String name, String path, String sha256, String architecture, List<String> tensorTypes,
            Long weightBytesPerToken) {
        public ModelIdentity {
            tensorTypes = tensorTypes == null ? List.of() : List.copyOf(tensorTypes);
        }
    }
}
