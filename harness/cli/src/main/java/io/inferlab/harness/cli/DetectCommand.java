package io.inferlab.harness.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.inferlab.harness.detect.AccelerationStatus;
import io.inferlab.harness.detect.Device;
import io.inferlab.harness.detect.HardwareDetector;
import io.inferlab.harness.detect.HardwareProfile;
import io.inferlab.harness.detect.HardwareProfileJson;
import io.inferlab.harness.detect.HostInfo;
import io.inferlab.harness.detect.SimdFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inferlab detect}: the host and one row per acceleration type (available or not, the
 * device, the reason). Exit 0 whatever is available; only a failure of the command itself is an
 * error.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Detect the host and which acceleration types (CPU, OPENCL, CUDA, MXFP4, METAL) can run here.")
final class DetectCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print the full hardware profile as JSON (schema in the README).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HardwareProfile profile = HardwareDetector.detect();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(HardwareProfileJson.write(profile));
        } else {
            printTable(profile, out);
        }
        out.flush();
        return 0;
    }

    static void printTable(HardwareProfile profile, PrintWriter out) {
        HostInfo h = profile.host();
        out.printf("CPU          %s%s, %d physical / %d logical cores%n", h.cpu().model(),
                "unknown".equals(h.cpu().microarchitecture()) ? "" : " (" + h.cpu().microarchitecture() + ")",
                h.cpu().physicalCores(), h.cpu().logicalCores());
        out.printf("SIMD         %s; Vector API %s%n",
                h.cpu().simd().isEmpty() ? "none recognized"
                        : h.cpu().simd().stream().map(SimdFeature::id).collect(Collectors.joining(" ")),
                h.cpu().vectorApiPreferredBits() == null ? "not enabled" : h.cpu().vectorApiPreferredBits() + "-bit");
        out.printf(Locale.ROOT, "Memory       %.1f GiB (%.1f GiB available)%n", gib(h.memory().totalBytes()),
                gib(h.memory().availableBytes()));
        out.printf("OS / JVM     %s %s (%s); Java %s (%s)%n", h.os().family(), h.os().version(), h.os().arch(),
                h.jvm().version(), h.jvm().vendor());
        out.printf("GPUs         %s%n", h.gpus().isEmpty() ? "none listed by the OS"
                : h.gpus().stream().map(g -> g.name()).collect(Collectors.joining("; ")));
        out.printf("Fingerprint  %s%n", profile.fingerprint().id());
        for (String note : h.notes()) {
            out.printf("Note         %s%n", note);
        }
        for (String error : profile.discoveryErrors()) {
            out.printf("Error        %s%n", error);
        }
        out.println();

        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ACCELERATION", "AVAILABLE", "BACKEND", "DEVICE", "REASON"});
        for (AccelerationStatus a : profile.accelerations()) {
            String backends = a.providers().isEmpty() ? "-"
                    : a.providers().stream().map(p -> p.id()).collect(Collectors.joining(","));
            rows.add(new String[] {a.acceleration().name(), a.available() ? "yes" : "no", backends, device(a.devices()),
                    a.reason() == null ? "-" : a.reason()});
        }
        int[] width = new int[4];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.println(line.append(r[4]).toString().stripTrailing());
        }
    }

    /** The first device's name, with how many more there are. */
    static String device(List<Device> devices) {
        if (devices.isEmpty()) {
            return "-";
        }
        return devices.getFirst().name() + (devices.size() > 1 ? " (+" + (devices.size() - 1) + " more)" : "");
    }

    private static double gib(long bytes) {
        return bytes / (double) (1L << 30);
    }
}
