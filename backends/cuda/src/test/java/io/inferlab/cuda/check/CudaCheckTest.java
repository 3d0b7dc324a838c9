package io.inferlab.cuda.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.cuda.CudaDiscovery;
import io.inferlab.cuda.CudaProbe;

class CudaCheckTest {

    @Test
    @EnabledIf(value = "noGpu", disabledReason = "this host has a CUDA device: CudaCheckOnGpuTest runs the check")
    void withoutAGpuTheCheckReportsWhyWritesItsReportAndFails(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CheckReport r = new CudaCheck(CheckOptions.parse("--models", dir.toString(), "--out", dir.resolve("out").toString()),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String reason = ((CudaDiscovery.Failed) CudaProbe.discover()).reason();
        assertFalse(r.passed());
        assertTrue(r.unavailable().contains(reason), r.unavailable());
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("CUDA: unavailable: " + reason) && out.contains("FAIL"), out);
        assertTrue(Files.readString(dir.resolve("out/report.md")).contains("device: none (" + reason + ")"));
        assertTrue(Files.readString(dir.resolve("out/report.json")).contains("\"passed\" : false"));
    }

    static boolean noGpu() {
        return !(CudaProbe.discover() instanceof CudaDiscovery.Found);
    }
}
