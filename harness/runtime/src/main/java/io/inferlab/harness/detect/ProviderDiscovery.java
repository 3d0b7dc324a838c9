package io.inferlab.harness.detect;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendProvider;

/**
 * Finds the {@link BackendProvider}s on the class path through {@link ServiceLoader} without
 * letting one broken provider hide the others: a provider class that cannot be loaded or
 * instantiated, or whose {@code id()}/{@code acceleration()} throws, becomes an error line and the
 * search goes on.
 *
 * @param providers the providers that loaded, in class-path order
 * @param errors    one line per provider that did not
 */
public record ProviderDiscovery(List<DiscoveredProvider> providers, List<String> errors) {
    /** A guard against a service iterator that keeps failing on the same entry. */
    private static final int MAX_ERRORS = 64;

    public ProviderDiscovery {
        providers = List.copyOf(providers);
        errors = List.copyOf(errors);
    }

    public static ProviderDiscovery discover() {
        return discover(Thread.currentThread().getContextClassLoader());
    }

    public static ProviderDiscovery discover(ClassLoader loader) {
        List<DiscoveredProvider> found = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, loader).iterator();
        while (errors.size() < MAX_ERRORS) {
            BackendProvider provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // ServiceLoader goes on with the next provider after an error (its documented behaviour).
                errors.add("a backend provider could not be loaded: " + HostDetector.describe(e)
                        + (e.getCause() == null ? "" : " (cause: " + HostDetector.describe(e.getCause()) + ")"));
                continue;
            }
            identify(provider, errors).ifPresent(found::add);
        }
        return new ProviderDiscovery(found, errors);
    }

    private static Optional<DiscoveredProvider> identify(BackendProvider provider, List<String> errors) {
        String type = provider.getClass().getName();
        try {
            String id = provider.id();
            AccelerationType acceleration = provider.acceleration();
            if (id == null || acceleration == null) {
                errors.add("backend provider " + type + " answered a null id or acceleration");
                return Optional.empty();
            }
            return Optional.of(new DiscoveredProvider(provider, id, acceleration));
        } catch (Throwable e) { // a provider is third-party code: nothing it throws may end discovery
            errors.add("backend provider " + type + " failed to say its id or acceleration: " + HostDetector.describe(e));
            return Optional.empty();
        }
    }
}
