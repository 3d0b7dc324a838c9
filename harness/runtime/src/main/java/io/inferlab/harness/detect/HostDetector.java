package io.inferlab.harness.detect;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.GraphicsCard;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/**
 * Reads the host through OSHI. Each part (CPU, memory, OS, graphics cards) is read on its own:
 * when OSHI or its native layer (JNA) fails on one, the JVM's own view is used instead and a note
 * says what happened, so detection never fails because of the host part.
 */
public final class HostDetector {
    /** OSHI's placeholder for a value it could not read ({@code oshi.util.Constants.UNKNOWN}). */
    private static final String UNKNOWN = "unknown";
    private static final Path LINUX_PCI_DEVICES = Path.of("/sys/bus/pci/devices");

    private HostDetector() {
    }

    public static HostInfo detect() {
        List<String> notes = new ArrayList<>();
        Integer vectorBits = VectorApiWidth.preferredBits().orElse(null);
        if (vectorBits == null) {
            notes.add("Vector API width unknown: jdk.incubator.vector is not in the module graph "
                    + "(run with --add-modules jdk.incubator.vector)");
        }
        SystemInfo si = null;
        HardwareAbstractionLayer hal = null;
        try {
            si = new SystemInfo();
            hal = si.getHardware();
        } catch (Throwable e) { // OSHI loads JNA: a LinkageError here must not end detection
            notes.add("OSHI is not usable here (" + describe(e) + "); using the JVM's view of the host");
        }
        CpuInfo cpu = hal == null ? jvmCpu(vectorBits, notes) : cpu(hal, vectorBits, notes);
        MemoryInfo memory = hal == null ? jvmMemory(notes) : memory(hal, notes);
        OsInfo os = si == null ? jvmOs() : os(si, notes);
        List<GpuInfo> gpus = gpus(hal, notes);
        return new HostInfo(cpu, memory, os, jvm(), gpus, notes);
    }

    /**
     * The factor that turns OSHI's cache sizes into bytes. OSHI reads Linux's /sys cache sizes
     * ("48K") and, on some kernels, hands back the numbers without their unit (seen on an H200
     * host: L1d 48, L2 2048, L3 307200). No L1 cache is smaller than 1 KiB, so an L1 figure below
     * 1024 means the whole list is in KiB.
     */
    static long cacheUnit(List<CentralProcessor.ProcessorCache> caches) {
        boolean kib = caches.stream().anyMatch(c -> c.getLevel() == 1 && c.getCacheSize() > 0 && c.getCacheSize() < 1024);
        return kib ? 1024 : 1;
    }

    private static CpuInfo cpu(HardwareAbstractionLayer hal, Integer vectorBits, List<String> notes) {
        try {
            CentralProcessor p = hal.getProcessor();
            CentralProcessor.ProcessorIdentifier id = p.getProcessorIdentifier();
            List<CentralProcessor.ProcessorCache> raw = p.getProcessorCaches();
            long unit = cacheUnit(raw);
            List<CacheInfo> caches = raw.stream()
                    .map(c -> new CacheInfo(c.getLevel(), c.getType().name().toLowerCase(Locale.ROOT),
                            c.getCacheSize() * unit, c.getLineSize(), c.getAssociativity()))
                    .sorted(Comparator.comparingInt(CacheInfo::level).thenComparing(CacheInfo::type))
                    .toList();
            Set<String> flags = CpuFlags.parse(p.getFeatureFlags());
            return new CpuInfo(id.getVendor(), id.getName().strip(), id.getMicroarchitecture(), p.getPhysicalPackageCount(),
                    p.getPhysicalProcessorCount(), p.getLogicalProcessorCount(), Math.max(0, p.getMaxFreq()), caches,
                    List.copyOf(CpuFlags.simd(flags)), List.copyOf(flags), vectorBits);
        } catch (Throwable e) { // OSHI parses OS output and calls native code: anything may fail
            notes.add("OSHI could not read the CPU (" + describe(e) + "); using the JVM's view");
            return jvmCpu(vectorBits, notes);
        }
    }

    /** The CPU as the JVM and, on Linux, {@code /proc/cpuinfo} describe it. */
    static CpuInfo jvmCpu(Integer vectorBits, List<String> notes) {
        String model = System.getProperty("os.arch");
        Set<String> flags = Set.of();
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try {
                List<String> lines = Files.readAllLines(cpuinfo);
                model = lines.stream().filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst().orElse(model);
                flags = CpuFlags.parse(CpuFlags.procCpuinfoFeatureLines(lines));
            } catch (IOException | RuntimeException e) {
                notes.add("could not read /proc/cpuinfo (" + describe(e) + ")");
            }
        }
        int threads = Runtime.getRuntime().availableProcessors();
        return new CpuInfo("", model, "unknown", 1, threads, threads, 0, List.of(), List.copyOf(CpuFlags.simd(flags)),
                List.copyOf(flags), vectorBits);
    }

    private static MemoryInfo memory(HardwareAbstractionLayer hal, List<String> notes) {
        try {
            GlobalMemory m = hal.getMemory();
            return new MemoryInfo(m.getTotal(), m.getAvailable());
        } catch (Throwable e) { // as above
            notes.add("OSHI could not read memory (" + describe(e) + "); using the JVM's view");
            return jvmMemory(notes);
        }
    }

    static MemoryInfo jvmMemory(List<String> notes) {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return new MemoryInfo(os.getTotalMemorySize(), os.getFreeMemorySize());
            }
        } catch (RuntimeException | LinkageError e) {
            notes.add("the JVM could not read memory either (" + describe(e) + ")");
        }
        return new MemoryInfo(0, 0);
    }

    private static OsInfo os(SystemInfo si, List<String> notes) {
        try {
            OperatingSystem os = si.getOperatingSystem();
            return new OsInfo(System.getProperty("os.name"), os.getFamily(), os.getVersionInfo().toString(),
                    System.getProperty("os.arch"), os.getBitness());
        } catch (Throwable e) { // as above
            notes.add("OSHI could not read the OS (" + describe(e) + "); using the JVM's view");
            return jvmOs();
        }
    }

    private static OsInfo jvmOs() {
        return new OsInfo(System.getProperty("os.name"), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), System.getProperty("os.arch").contains("64") ? 64 : 0);
    }

    private static List<GpuInfo> gpus(HardwareAbstractionLayer hal, List<String> notes) {
        List<GpuInfo> gpus = new ArrayList<>();
        if (hal != null) {
            try {
                for (GraphicsCard g : hal.getGraphicsCards()) {
                    // OSHI's lshw fallback adds one all-"unknown" card when lshw printed nothing.
                    if (!(UNKNOWN.equals(g.getName()) && UNKNOWN.equals(g.getVendor()) && UNKNOWN.equals(g.getDeviceId()))) {
                        gpus.add(new GpuInfo(g.getName(), g.getVendor(), g.getDeviceId(), g.getVersionInfo(),
                                Math.max(0, g.getVRam())));
                    }
                }
            } catch (Throwable e) { // as above; lspci/lshw output is parsed
                notes.add("OSHI could not list graphics cards (" + describe(e) + ")");
            }
        }
        if (gpus.isEmpty() && System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                gpus.addAll(PciDisplayDevices.list(LINUX_PCI_DEVICES));
            } catch (IOException | RuntimeException e) {
                notes.add("could not list PCI display controllers in " + LINUX_PCI_DEVICES + " (" + describe(e) + ")");
            }
        }
        return gpus;
    }

    private static JvmInfo jvm() {
        Runtime rt = Runtime.getRuntime();
        return new JvmInfo(Runtime.version().toString(), Runtime.version().feature(), System.getProperty("java.vendor"),
                System.getProperty("java.vm.name"), rt.maxMemory(), rt.availableProcessors());
    }

    static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
