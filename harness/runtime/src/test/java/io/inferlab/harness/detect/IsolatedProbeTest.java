package io.inferlab.harness.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.inferlab.api.BackendProvider;
import io.inferlab.api.ProbeResult;

/** Nothing a probe does escapes: exceptions, Errors, null answers and hangs become Unavailable with the reason. */
class IsolatedProbeTest {

    static DiscoveredProvider discovered(BackendProvider p) {
        return new DiscoveredProvider(p, p.id(), p.acceleration());
    }

    static String reasonOf(BackendProvider p) {
        ProbeResult r = IsolatedProbe.run(discovered(p)).result();
        return assertInstanceOf(ProbeResult.Unavailable.class, r).reason();
    }

    @Test
    void anExceptionBecomesUnavailableWithItsMessage() {
        String reason = reasonOf(new TestProviders.ThrowingOpenCl());
        assertTrue(reason.contains("test-opencl-throws") && reason.contains("IllegalStateException")
                && reason.contains("clGetPlatformIDs blew up"), reason);
    }

    @Test
    void aLinkageErrorSaysTheNativeBindingFailed() {
        String reason = reasonOf(new TestProviders.LinkageErrorCuda());
        assertTrue(reason.contains("native binding failed to load") && reason.contains("libcuda.so.1"), reason);
    }

    @Test
    void anyOtherErrorBecomesUnavailableToo() {
        String reason = reasonOf(new TestProviders.AssertingCuda());
        assertTrue(reason.contains("AssertionError") && reason.contains("device table corrupted"), reason);
    }

    @Test
    void aNullAnswerIsReportedAsABackendBug() {
        assertTrue(reasonOf(new TestProviders.NullMxfp4()).contains("returned nothing"));
    }

    @Test
    void aHungProbeIsCutOffAfterTheTimeout() {
        DiscoveredProvider p = discovered(new TestProviders.HangingMetal());
        long start = System.nanoTime();
        IsolatedProbe.Timed t = IsolatedProbe.await(p, IsolatedProbe.start(p), Duration.ofMillis(200));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        String reason = assertInstanceOf(ProbeResult.Unavailable.class, t.result()).reason();
        assertTrue(reason.contains("did not answer within 200 ms"), reason);
        assertTrue(elapsedMs < 5_000, "returned after " + elapsedMs + " ms");
    }

    @Test
    void aWorkingProbeIsPassedThroughWithItsTime() {
        IsolatedProbe.Timed t = IsolatedProbe.run(discovered(new TestProviders.WorkingCpu()));
        ProbeResult.Available a = assertInstanceOf(ProbeResult.Available.class, t.result());
        assertEquals("Test CPU", a.devices().getFirst().name());
        assertTrue(t.elapsedNs() >= 0);
    }
}
