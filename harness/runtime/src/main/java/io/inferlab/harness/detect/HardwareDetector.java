package io.inferlab.harness.detect;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.ProbeResult;

/**
 * Detection: the host (OSHI) and every backend provider's probe, run concurrently, folded into a
 * {@link HardwareProfile} with one row per {@link AccelerationType}. Never throws for anything a
 * provider or the host does; every unavailable row says why.
 */
public final class HardwareDetector {
    /** Long enough for a first CUDA initialization on a multi-GPU host; a hung driver is cut off. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(30);

    private final ProviderDiscovery discovery;
    private final Duration probeTimeout;

    public HardwareDetector(ProviderDiscovery discovery, Duration probeTimeout) {
        this.discovery = discovery;
        this.probeTimeout = probeTimeout;
    }

    /** Detection with the providers on the class path. */
    public static HardwareProfile detect() {
        return new HardwareDetector(ProviderDiscovery.discover(), DEFAULT_PROBE_TIMEOUT).run();
    }

    public HardwareProfile run() {
        long start = System.nanoTime();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<DiscoveredProvider, CompletableFuture<IsolatedProbe.Timed>> started = new LinkedHashMap<>();
        for (DiscoveredProvider p : discovery.providers()) {
            started.put(p, IsolatedProbe.start(p));
        }
        HostInfo host = HostDetector.detect(); // on this thread, while the probes run
        Map<AccelerationType, List<ProviderStatus>> byType = new LinkedHashMap<>();
        Map<AccelerationType, List<Device>> availableDevices = new LinkedHashMap<>();
        for (var e : started.entrySet()) {
            DiscoveredProvider p = e.getKey();
            IsolatedProbe.Timed timed = IsolatedProbe.await(p, e.getValue(), probeTimeout);
            ProviderStatus status = switch (timed.result()) {
                case ProbeResult.Available a -> new ProviderStatus(p.id(), true, null,
                        a.devices().stream().map(Device::of).toList(), timed.elapsedNs());
                case ProbeResult.Unavailable u -> new ProviderStatus(p.id(), false, u.reason(), List.of(), timed.elapsedNs());
            };
            byType.computeIfAbsent(p.acceleration(), k -> new ArrayList<>()).add(status);
            if (status.available()) {
                availableDevices.computeIfAbsent(p.acceleration(), k -> new ArrayList<>()).addAll(status.devices());
            }
        }
        List<AccelerationStatus> rows = new ArrayList<>();
        for (AccelerationType type : AccelerationType.values()) {
            List<ProviderStatus> providers = byType.getOrDefault(type, List.of());
            rows.add(row(type, providers, availableDevices.getOrDefault(type, List.of()), host));
        }
        return new HardwareProfile(HardwareProfile.SCHEMA_VERSION, at.toString(), System.nanoTime() - start,
                HostFingerprint.of(host), host, rows, discovery.errors());
    }

    static AccelerationStatus row(AccelerationType type, List<ProviderStatus> providers, List<Device> devices, HostInfo host) {
        if (providers.isEmpty()) {
            if (type == AccelerationType.METAL) {
                return MetalSupport.withoutProvider(host.os(), host.gpus());
            }
            return new AccelerationStatus(type, false, "no backend for " + type + " is installed (no provider of it on the "
                    + "class path; add inferlab-backend-" + type.name().toLowerCase(java.util.Locale.ROOT) + ")",
                    List.of(), List.of());
        }
        if (providers.stream().anyMatch(ProviderStatus::available)) {
            return new AccelerationStatus(type, true, null, devices, providers);
        }
        String reason = providers.size() == 1 ? providers.getFirst().reason()
                : providers.stream().map(p -> p.id() + ": " + p.reason()).collect(Collectors.joining("; "));
        return new AccelerationStatus(type, false, reason, List.of(), providers);
    }
}
