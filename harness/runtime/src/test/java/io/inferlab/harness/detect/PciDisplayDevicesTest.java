package io.inferlab.harness.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Display controllers from a sysfs PCI tree laid out as Linux lays it out. */
class PciDisplayDevicesTest {
    @TempDir
    Path sysfs;

    void device(String address, String pciClass, String vendor, String device) throws IOException {
        Path d = Files.createDirectories(sysfs.resolve(address));
        Files.writeString(d.resolve("class"), pciClass + "\n");
        Files.writeString(d.resolve("vendor"), vendor + "\n");
        Files.writeString(d.resolve("device"), device + "\n");
    }

    @Test
    void onlyDisplayControllersAreListedWithTheirVendor() throws IOException {
        device("0000:00:00.0", "0x060000", "0x8086", "0x0d57"); // host bridge
        device("0000:00:03.0", "0x020000", "0x1af4", "0x1041"); // virtio network
        device("0000:00:1e.0", "0x030200", "0x10de", "0x2330"); // 3D controller (H100 SXM)
        device("0000:00:02.0", "0x030000", "0x1234", "0x1111"); // VGA (QEMU stdvga)
        List<GpuInfo> gpus = PciDisplayDevices.list(sysfs);
        assertEquals(List.of("QEMU PCI device 1234:1111", "NVIDIA PCI device 10de:2330"), gpus.stream().map(GpuInfo::name).toList());
        assertEquals("NVIDIA", gpus.get(1).vendor());
        assertTrue(gpus.get(1).versionInfo().contains("0000:00:1e.0"));
    }

    @Test
    void aMissingTreeIsNoDevices() throws IOException {
        assertTrue(PciDisplayDevices.list(sysfs.resolve("absent")).isEmpty());
    }
}
