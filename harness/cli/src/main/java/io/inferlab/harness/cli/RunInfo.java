package io.inferlab.harness.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.datasets.models.ModelCache;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.harness.backends.Backends;
import io.inferlab.harness.detect.HardwareProfile;
import io.inferlab.harness.detect.HostInfo;
import io.inferlab.harness.results.RunMetadata;
import io.inferlab.jmh.run.BenchTarget;

/** Gathers a run's metadata: time, git commit, host, model identity and backend versions. */
final class RunInfo {
    private RunInfo() {
    }

    static RunMetadata metadata(Instant start, String profile, HardwareProfile hardware, double bandwidth, Path model,
                                List<BenchTarget> targets) throws IOException {
        Map<String, String> backends = new LinkedHashMap<>();
        Backends all = Backends.discover();
        for (BenchTarget t : targets) {
            Package pkg = all.byId(t.backend()).getClass().getPackage();
            String v = pkg.getImplementationVersion();
            backends.put(t.backend(), t.acceleration() + (v != null ? " " + v : ""));
        }
        return new RunMetadata(RunMetadata.SCHEMA_VERSION, DateTimeFormatter.ISO_INSTANT.format(start), gitCommit(),
                profile, host(hardware, bandwidth), modelIdentity(model, bytesPerToken(model)), backends);
    }

    /** The host part of the metadata, keyed by detection's fingerprint. */
    static RunMetadata.Host host(HardwareProfile hardware, double bandwidth) {
        HostInfo h = hardware.host();
        return new RunMetadata.Host(hardware.fingerprint().id(), h.cpu().model(), h.cpu().physicalCores(),
                h.cpu().logicalCores(), h.memory().totalBytes(), h.gpus().stream().map(g -> g.name()).toList(),
                h.os().name() + " " + h.os().version() + " " + h.os().arch(), h.jvm().vendor() + " " + h.jvm().version(),
                bandwidth > 0 ? bandwidth : null);
    }

    /** Weight bytes one decode step reads, as the engine counts them (active experts only for MoE). */
    static Long bytesPerToken(Path model) {
        try (InferenceBackend b = Backends.discover().open("cpu", ModelSource.gguf(model), BackendOptions.defaults()
                .withContextLength(16))) {
            return b.model().bytesPerToken();
        } catch (RuntimeException e) {
            return null; // a model the engine cannot open still gets its other metadata
        }
    }

    static RunMetadata.Model modelIdentity(Path model, Long bytesPerToken) throws IOException {
        String sha = ModelCache.sha256(model);
        try (GgufFile f = GgufFile.open(model)) {
            Map<String, Integer> types = new TreeMap<>(f.tensorInfos().stream()
                    .collect(Collectors.groupingBy(t -> t.type().name(), Collectors.summingInt(t -> 1))));
            long params = f.tensorInfos().stream().mapToLong(t -> t.elementCount()).sum();
            return new RunMetadata.Model(model.toAbsolutePath().toString(), sha,
                    f.metadata().optString("general.architecture").orElse("unknown"),
                    f.metadata().optString("general.name").orElse(""), params, types, bytesPerToken);
        }
    }

    /** The checkout's commit when run inside a git work tree with git installed, else null. */
    static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
