package io.inferlab.harness.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.BackendProvider;

/** ServiceLoader discovery goes on past providers that cannot be loaded or identified. */
class ProviderDiscoveryTest {
    @TempDir
    Path dir;

    /** A class loader whose only service entries for BackendProvider are {@code classes}. */
    static URLClassLoader loaderListing(Path dir, List<String> classes) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.write(services.resolve(BackendProvider.class.getName()), classes);
        return new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, ProviderDiscoveryTest.class.getClassLoader());
    }

    static String name(Class<?> c) {
        return c.getName();
    }

    @Test
    void brokenEntriesBecomeErrorsAndTheRestLoad() throws IOException {
        try (URLClassLoader loader = loaderListing(dir, List.of(
                name(TestProviders.WorkingCpu.class),
                "io.inferlab.nowhere.MissingProvider",
                name(TestProviders.FailingConstructor.class),
                name(TestProviders.ThrowingId.class),
                name(TestProviders.ThrowingOpenCl.class)))) {
            ProviderDiscovery d = ProviderDiscovery.discover(loader);
            assertEquals(List.of("test-cpu", "test-opencl-throws"), d.providers().stream().map(DiscoveredProvider::id).toList());
            assertEquals(3, d.errors().size(), d.errors().toString());
            assertTrue(d.errors().get(0).contains("MissingProvider"), d.errors().get(0));
            assertTrue(d.errors().get(1).contains("cannot construct"), d.errors().get(1));
            assertTrue(d.errors().get(2).contains(name(TestProviders.ThrowingId.class))
                    && d.errors().get(2).contains("NoClassDefFoundError"), d.errors().get(2));
        }
    }

    @Test
    void noProvidersIsAnEmptyDiscovery() throws IOException {
        try (URLClassLoader loader = loaderListing(dir, List.of())) {
            ProviderDiscovery d = ProviderDiscovery.discover(loader);
            assertTrue(d.providers().isEmpty() && d.errors().isEmpty());
        }
    }
}
