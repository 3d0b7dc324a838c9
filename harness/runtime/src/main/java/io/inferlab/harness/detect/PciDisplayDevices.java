package io.inferlab.harness.detect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Display controllers from Linux sysfs, for hosts where OSHI lists no graphics card because neither
 * {@code lspci} nor {@code lshw} is installed (minimal images, containers). PCI class 0x03 is
 * "display controller" (0x0300 VGA, 0x0302 3D controller such as data-center NVIDIA GPUs), per the
 * PCI Code and ID Assignment Specification. Without the pci.ids database only the vendor is named.
 */
final class PciDisplayDevices {
    /** PCI-SIG vendor IDs of the GPU makers we expect to meet. */
    private static final Map<String, String> VENDORS = Map.of(
            "0x10de", "NVIDIA", "0x1002", "AMD", "0x8086", "Intel", "0x1234", "QEMU", "0x15ad", "VMware",
            "0x1af4", "Red Hat (virtio)", "0x1414", "Microsoft", "0x106b", "Apple", "0x5143", "Qualcomm", "0x13b5", "ARM");

    private PciDisplayDevices() {
    }

    /** The display controllers under {@code devicesDir} (normally {@code /sys/bus/pci/devices}). */
    static List<GpuInfo> list(Path devicesDir) throws IOException {
        List<GpuInfo> gpus = new ArrayList<>();
        if (!Files.isDirectory(devicesDir)) {
            return gpus;
        }
        try (DirectoryStream<Path> devices = Files.newDirectoryStream(devicesDir)) {
            for (Path d : devices) {
                String pciClass = read(d.resolve("class"));
                if (!pciClass.startsWith("0x03")) {
                    continue;
                }
                String vendor = read(d.resolve("vendor"));
                String device = read(d.resolve("device"));
                String vendorName = VENDORS.getOrDefault(vendor, "PCI vendor " + vendor);
                String id = vendor.replace("0x", "") + ":" + device.replace("0x", "");
                gpus.add(new GpuInfo(vendorName + " PCI device " + id, vendorName, id,
                        "PCI " + d.getFileName() + ", class " + pciClass, 0));
            }
        }
        gpus.sort(java.util.Comparator.comparing(GpuInfo::versionInfo));
        return gpus;
    }

    private static String read(Path file) throws IOException {
        return Files.isReadable(file) ? Files.readString(file).strip().toLowerCase(Locale.ROOT) : "";
    }
}
