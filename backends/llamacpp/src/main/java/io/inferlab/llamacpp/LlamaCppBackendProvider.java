package io.inferlab.llamacpp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.DeviceInfo;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;
import io.inferlab.llamacpp.ChildProcess.ChildFailure;
import io.inferlab.llamacpp.protocol.Message;
import io.inferlab.llamacpp.protocol.Message.Device;
import io.inferlab.llamacpp.protocol.Message.ProbeInfo;

/**
 * The {@code llamacpp} backend: llama.cpp through java-llama.cpp's native library, in a child JVM.
 * Acceleration METAL on macOS arm64 (java-llama.cpp's library there is built with Metal), CPU
 * elsewhere. The probe starts a child that loads the library and lists GGML's devices; its result
 * is remembered for the life of this JVM and, when available, on disk ({@link ProbeCache}).
 */
public final class LlamaCppBackendProvider implements BackendProvider {
    public static final String ID = "llamacpp";
    /** Probing loads the library in a fresh JVM: allowed a little longer than a plain start. */
    private static final Duration PROBE_LIMIT = Duration.ofSeconds(60);

    private static volatile ProbeResult probed;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AccelerationType acceleration() {
        return accelerationFor(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** METAL on macOS on Apple Silicon, CPU on every other platform java-llama.cpp ships for. */
    static AccelerationType accelerationFor(String osName, String osArch) {
        boolean mac = osName.toLowerCase(Locale.ROOT).startsWith("mac");
        boolean arm = osArch.equals("aarch64") || osArch.equals("arm64");
        return mac && arm ? AccelerationType.METAL : AccelerationType.CPU;
    }

    @Override
    public ProbeResult probe() {
        ProbeResult p = probed;
        if (p == null) {
            synchronized (LlamaCppBackendProvider.class) {
                p = probed;
                if (p == null) {
                    p = cachedOrProbe(ProbeCache.standard(), acceleration());
                    probed = p;
                }
            }
        }
        return p;
    }

    /** The cached answer for this binding, JVM and platform, or a fresh probe (cached when available). */
    static ProbeResult cachedOrProbe(ProbeCache cache, AccelerationType acceleration) {
        Optional<Path> file = cache.file(bindingVersion());
        Optional<ProbeResult> cached = file.flatMap(cache::read);
        if (cached.isPresent()) {
            return cached.get();
        }
        ProbeResult fresh = probeOnce(acceleration);
        if (fresh instanceof ProbeResult.Available a) {
            file.ifPresent(f -> cache.write(f, a));
        }
        return fresh;
    }

    /** Starts a child, asks it what llama.cpp sees, and turns every failure into a reason. */
    static ProbeResult probeOnce(AccelerationType acceleration) {
        try (ChildProcess child = ChildProcess.start(PROBE_LIMIT)) {
            Message reply = child.request(new Message.Probe(), PROBE_LIMIT, "probing");
            return switch (reply) {
                case ProbeInfo info -> available(info, acceleration);
                case Message.Error e -> new ProbeResult.Unavailable("llama.cpp's native library cannot be used here: "
                        + e.message());
                default -> new ProbeResult.Unavailable("unexpected probe reply from the llama.cpp child: " + reply);
            };
        } catch (ChildFailure e) {
            return new ProbeResult.Unavailable(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return new ProbeResult.Unavailable("probing llama.cpp failed: " + e);
        }
    }

    static ProbeResult available(ProbeInfo info, AccelerationType acceleration) {
        int wanted = acceleration == AccelerationType.METAL ? 1 : 0; // ggml_backend_dev_type: GPU or CPU
        List<DeviceInfo> devices = new ArrayList<>();
        for (Device d : info.devices()) {
            if (d.type() != wanted) {
                continue;
            }
            Map<String, String> props = new LinkedHashMap<>();
            props.put("llama.cpp.build", Integer.toString(info.buildNumber()));
            props.put("llama.cpp.commit", info.commit());
            props.put("java-llama.cpp.version", bindingVersion());
            props.put("ggml.device", d.name());
            props.put("ggml.system_info", info.systemInfo());
            devices.add(new DeviceInfo(d.description().isBlank() ? d.name() : d.description(),
                    "llama.cpp b" + info.buildNumber() + " ggml " + d.name() + (wanted == 0 ? ": " + info.systemInfo() : ""),
                    d.memoryTotal(), props));
        }
        if (devices.isEmpty()) {
            return new ProbeResult.Unavailable("llama.cpp loaded but GGML reports no " + (wanted == 1 ? "GPU (Metal)" : "CPU")
                    + " device (devices: " + info.devices().stream().map(Device::name).toList() + ")");
        }
        return new ProbeResult.Available(devices);
    }

    /** The java-llama.cpp version on the class path, from its Maven metadata ("unknown" if absent). */
    static String bindingVersion() {
        try (InputStream in = LlamaCppBackendProvider.class.getResourceAsStream("/META-INF/maven/de.kherud/llama/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Opens with the default {@link LlamaCppOptions} (all layers on Metal, none on CPU). */
    @Override
    public InferenceBackend open(ModelSource model, BackendOptions options) {
        return open(model, options, LlamaCppOptions.defaults(acceleration()));
    }

    /**
     * Opens {@code model} in a new child JVM. No probe first: the child loads the library itself
     * and a failure there comes back as {@link BackendUnavailableException} with the same reason.
     */
    public LlamaCppBackend open(ModelSource model, BackendOptions options, LlamaCppOptions llamaOptions) {
        return LlamaCppBackend.open(model.path(), options, llamaOptions, acceleration());
    }
}
