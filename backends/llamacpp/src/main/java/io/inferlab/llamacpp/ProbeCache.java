package io.inferlab.llamacpp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.inferlab.api.DeviceInfo;
import io.inferlab.api.ProbeResult;

/**
 * Remembers a successful llama.cpp probe on disk, so detection does not start a child JVM on every
 * run (about 1-3 s, most of a cold `inferlab detect`). The key covers everything that can change
 * the answer: the binding's version, the jar holding the native library (path, size, time), the
 * JVM and the platform; any change means a new probe. Only "available" is cached: a failure may be
 * transient (a busy machine timing the child out) and is probed again next time.
 */
final class ProbeCache {
    private final Path dir;

    ProbeCache(Path dir) {
        this.dir = dir;
    }

    static ProbeCache standard() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new ProbeCache(base.resolve("inferlab").resolve("probes"));
    }

    /** The cache file for this binding, JVM and platform; empty when the library's jar cannot be located. */
    Optional<Path> file(String bindingVersion) {
        try {
            CodeSource source = de.kherud.llama.LlamaModel.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path jar = Path.of(source.getLocation().toURI());
            String key = String.join("|", bindingVersion, jar.toAbsolutePath().toString(),
                    Long.toString(Files.size(jar)), Long.toString(Files.getLastModifiedTime(jar).toMillis()),
                    System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Optional.of(dir.resolve("llamacpp-" + HexFormat.of().formatHex(digest, 0, 8) + ".properties"));
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException | RuntimeException e) {
            return Optional.empty();
        }
    }

    Optional<ProbeResult> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            Properties p = new Properties();
            p.load(in);
            int n = Integer.parseInt(p.getProperty("devices", "0"));
            List<DeviceInfo> devices = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String prefix = "device." + i + ".";
                Map<String, String> props = new LinkedHashMap<>();
                for (String name : p.stringPropertyNames()) {
                    if (name.startsWith(prefix + "property.")) {
                        props.put(name.substring((prefix + "property.").length()), p.getProperty(name));
                    }
                }
                devices.add(new DeviceInfo(p.getProperty(prefix + "name"), p.getProperty(prefix + "description"),
                        Long.parseLong(p.getProperty(prefix + "memory", "0")), props));
            }
            return devices.isEmpty() ? Optional.empty() : Optional.of(new ProbeResult.Available(devices));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged cache entry is only a slower probe
        }
    }

    void write(Path file, ProbeResult.Available result) {
        Properties p = new Properties();
        p.setProperty("devices", Integer.toString(result.devices().size()));
        for (int i = 0; i < result.devices().size(); i++) {
            DeviceInfo d = result.devices().get(i);
            String prefix = "device." + i + ".";
            p.setProperty(prefix + "name", d.name());
            p.setProperty(prefix + "description", d.description());
            p.setProperty(prefix + "memory", Long.toString(d.memoryBytes()));
            d.properties().forEach((k, v) -> p.setProperty(prefix + "property." + k, v));
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "llama.cpp probe result, cached by InferLab; delete to probe again");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // not cached: the next run probes again
        }
    }
}
