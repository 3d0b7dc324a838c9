package io.inferlab.cpu;

import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationTimings;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;

/**
 * A tuning probe, not a benchmark of record: decode tokens/s of two or more builds of this
 * module on one model, in one process, their generations taking turns. On a shared machine the
 * bandwidth moves by half within minutes, so builds timed in separate runs, or even alternating
 * runs, differ by more than a kernel change does; here every round times each build within the
 * same few seconds, and the per-round ratios say which is faster. List the baseline twice, and
 * first: on the development VM two copies of one build differed by a median 1.7-3.3%, but in
 * one run of 30 rounds the copy listed first ran 4.8% behind the other in 26 of them (level in
 * the next run), so compare the others with the second copy.
 *
 * <p>Why it exists: {@link MatmulProbe}-style probes of the matrices alone measured gains of
 * 4-6% for kernels that this probe, on the whole 1b Q4_0 model, found level with the old one
 * (whole quant bytes multiplied, with the loop stepping two positions; 2026-11-27). Decode is
 * 97% matmul time there, so the matrices' probe is not wrong, but its passes are not what decode
 * does between the matrices.
 *
 * <p>Each build is a class folder (copy {@code backends/cpu/target/classes} aside before changing
 * the code); its {@code io.inferlab.cpu} classes are loaded apart from the others', child first,
 * the engine and API shared. Run after {@code mvn -q install -DskipTests} (which also puts the
 * engine where the class path below finds it):
 * <pre>
 * mvn -q -pl backends/cpu dependency:build-classpath -Dmdep.outputFile=/tmp/cpu.cp
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g \
 *   -cp backends/cpu/target/test-classes:$(cat /tmp/cpu.cp) \
 *   io.inferlab.cpu.DecodeAbProbe MODEL.gguf [tokens=64] [prompt=1] [rounds=20] [threads=2] BUILD_A BUILD_B ...
 * </pre>
 * With {@code prompt=N} (N above 1) the rounds time the prefill of an N-token prompt instead.
 */
public final class DecodeAbProbe {
    private DecodeAbProbe() {
    }

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int tokens = 64;
        int promptTokens = 1;
        int rounds = 20;
        int threads = 2;
        List<Path> builds = new ArrayList<>();
        for (String a : Arrays.copyOfRange(args, 1, args.length)) {
            if (a.startsWith("tokens=")) {
                tokens = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("prompt=")) {
                promptTokens = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("rounds=")) {
                rounds = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("threads=")) {
                threads = Integer.parseInt(a.substring(8));
            } else {
                builds.add(Path.of(a));
            }
        }
        BackendOptions defaults = BackendOptions.defaults();
        BackendOptions options = new BackendOptions(threads, defaults.deviceIndex(), defaults.contextLength(), false);
        List<InferenceBackend> backends = new ArrayList<>();
        for (Path build : builds) {
            InferenceBackend backend = provider(build).open(new ModelSource.Gguf(model), options);
            System.out.println(build + ": " + backend.computeMode());
            backends.add(backend);
        }
        // One token: the rounds time decode. More: they time the prefill of that many, and decode one.
        int[] prompt = new int[promptTokens];
        Arrays.fill(prompt, backends.getFirst().encode("Once")[0]);
        boolean prefill = promptTokens > 1;
        GenerationRequest request = GenerationRequest.ofTokens(prompt, prefill ? 1 : tokens);
        for (int warmUp = 0; warmUp < 2; warmUp++) {
            backends.forEach(b -> b.generate(request, (id, text) -> { }));
        }
        double[][] tokensPerSecond = new double[backends.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < backends.size(); i++) {
                GenerationTimings timings = backends.get(i).generate(request, (id, text) -> { }).timings();
                long[] itl = timings.itlNs();
                tokensPerSecond[i][r] = prefill
                        ? promptTokens / (timings.prefillNs() / 1e9)
                        : itl.length / (Arrays.stream(itl).sum() / 1e9);
            }
        }
        report(builds, tokensPerSecond);
        backends.forEach(InferenceBackend::close);
    }

    private static void report(List<Path> builds, double[][] tokensPerSecond) {
        int rounds = tokensPerSecond[0].length;
        for (int i = 0; i < builds.size(); i++) {
            double[] t = tokensPerSecond[i].clone();
            Arrays.sort(t);
            System.out.printf("%s: median %.2f tokens/s (%.2f-%.2f)%n", builds.get(i), t[rounds / 2], t[0], t[rounds - 1]);
        }
        for (int i = 1; i < builds.size(); i++) {
            double[] ratio = new double[rounds];
            int ahead = 0;
            for (int r = 0; r < rounds; r++) {
                ratio[r] = tokensPerSecond[i][r] / tokensPerSecond[0][r];
                ahead += ratio[r] > 1 ? 1 : 0;
            }
            Arrays.sort(ratio);
            System.out.printf("%s over %s: median %.3f (%.3f-%.3f), ahead in %d of %d rounds%n",
                    builds.get(i), builds.getFirst(), ratio[rounds / 2], ratio[0], ratio[rounds - 1], ahead, rounds);
        }
    }

    /** The CPU backend's provider from {@code build}'s classes, this module's loaded child first. */
    private static BackendProvider provider(Path build) {
        try {
            ClassLoader loader = new ChildFirst(build.toUri().toURL(), DecodeAbProbe.class.getClassLoader());
            // By name: the parent's class path need not hold this module's main classes at all.
            return (BackendProvider) loader.loadClass(DecodeAbProbe.class.getPackageName() + ".CpuBackendProvider")
                    .getConstructor().newInstance();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(build + " holds no CPU backend: " + e, e);
        }
    }

    /** Loads this module's main classes from its own folder, everything else from the parent. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL build, ClassLoader parent) {
            super(new URL[] {build}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(DecodeAbProbe.class.getPackageName() + ".") || name.startsWith(DecodeAbProbe.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = super.loadClass(name, false); // a test class, say: the parent's
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
