package io.inferlab.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import jdk.incubator.vector.FloatVector;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.DeviceInfo;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.runtime.WeightResidency;

/**
 * The {@code cpu} backend: the engine's forward pass on Vector API kernels, multithreaded over
 * matrix rows. Always available; the probe reports the vector width the JVM chose.
 */
public final class CpuBackendProvider implements BackendProvider {
    public static final String ID = "cpu";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AccelerationType acceleration() {
        return AccelerationType.CPU;
    }

    @Override
    public ProbeResult probe() {
        try {
            int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
            int cores = Runtime.getRuntime().availableProcessors();
            return new ProbeResult.Available(new DeviceInfo(cpuName(), cores + " hardware threads, Vector API "
                    + bits + "-bit", Runtime.getRuntime().maxMemory(),
                    Map.of("vectorBits", Integer.toString(bits), "threads", Integer.toString(cores))));
        } catch (LinkageError e) {
            // jdk.incubator.vector was not added to the module graph (--add-modules missing).
            return new ProbeResult.Unavailable("the Vector API is not available (run with --add-modules "
                    + "jdk.incubator.vector): " + e);
        }
    }

    @Override
    public InferenceBackend open(ModelSource model, BackendOptions options) {
        return EngineBackend.open(ID, AccelerationType.CPU, model.path(), options,
                o -> new VectorKernels(o.effectiveThreads(), WeightResidency.of(o, model.path())));
    }

    /** The CPU's model name from /proc/cpuinfo where there is one, else the architecture. */
    static String cpuName() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst().orElse(System.getProperty("os.arch"));
            } catch (IOException | java.io.UncheckedIOException e) {
                return System.getProperty("os.arch");
            }
        }
        return System.getProperty("os.arch");
    }
}
