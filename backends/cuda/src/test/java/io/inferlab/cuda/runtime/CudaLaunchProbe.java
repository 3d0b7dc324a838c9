package io.inferlab.cuda.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

import io.inferlab.cuda.CudaDevice;
import io.inferlab.cuda.CudaDiscovery;
import io.inferlab.cuda.CudaProbe;
import io.inferlab.cuda.check.CheckModels;
import io.inferlab.cuda.check.LogitsConformance;
import io.inferlab.cuda.kernels.CudaKernel;
import io.inferlab.cuda.kernels.LaunchGeometry;
import io.inferlab.datasets.models.ModelPreset;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.model.LlamaModel;
import io.inferlab.engine.tensor.GgmlType;

/**
 * A tuning probe, not a benchmark of record, for a host with an NVIDIA GPU: what a kernel launch
 * costs by each {@link CudaContext.LaunchPath} (JCuda with a Java array per argument, JCuda with
 * {@link KernelArguments}' slots, FFM into the driver), in one process and taking turns, so that
 * the ratios hold whatever else the machine does:
 * <ul>
 *   <li>launches per second of near-empty kernels: add_f32 over one value (3 arguments) and
 *       matmul_f32 of one 32-value row (6 arguments), with one synchronize at the end;</li>
 *   <li>decode tokens/s of generated llama models in Q4_0 (the argmax on the device, so a token
 *       costs its launches and one 4-byte read back);</li>
 *   <li>with {@code oldptx=DIR} (matmul_q4_0.ptx and matmul_q8_0.ptx of another build), the batch-1
 *       matmul of this build against that one on 1B shapes, timed on the device with events
 *       (GB/s of weights read), alternating.</li>
 * </ul>
 * Run from the GPU bundle's class path plus this module's test classes:
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp 'bundle/lib/*:backends/cuda/target/test-classes' io.inferlab.cuda.runtime.CudaLaunchProbe \
 *   [presets=110m,1b] [launches=20000] [rounds=3]
 * </pre>
 */
public final class CudaLaunchProbe {
    private static final int PROMPT = 8;
    private static final int DECODE = 64;

    private CudaLaunchProbe() {
    }

    public static void main(String[] args) throws IOException {
        List<ModelPreset> presets = List.of(ModelPreset.SMALL, ModelPreset.TINYLLAMA_1B);
        int launches = 20_000;
        int rounds = 3;
        Path oldPtx = null;
        for (String a : args) {
            if (a.startsWith("presets=")) {
                presets = a.substring(8).isEmpty() ? List.of()
                        : Arrays.stream(a.substring(8).split(",")).map(ModelPreset::byName).toList();
            } else if (a.startsWith("launches=")) {
                launches = Integer.parseInt(a.substring(9));
            } else if (a.startsWith("oldptx=")) {
                oldPtx = Path.of(a.substring(7));
            } else if (a.startsWith("rounds=")) {
                rounds = Integer.parseInt(a.substring(7));
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        if (!(CudaProbe.discover() instanceof CudaDiscovery.Found found)) {
            System.out.println("no CUDA device: " + CudaProbe.discover());
            return;
        }
        CudaDevice d = found.devices().getFirst();
        System.out.println("device: " + d.name());
        if (oldPtx != null) {
            for (GgmlType type : List.of(GgmlType.Q4_0, GgmlType.Q8_0)) {
                matvecAb(d, type, oldPtx.resolve("matmul_" + type.name().toLowerCase(Locale.ROOT) + ".ptx"), rounds);
            }
        }
        launchRates(d, launches, rounds);
        Path tmp = Files.createTempDirectory("cuda-launch-probe");
        try {
            for (ModelPreset preset : presets) {
                decodeRates(d, CheckModels.generate(preset, GgmlType.Q4_0, tmp), preset.name(), rounds);
            }
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (UncheckedIOException e) {
                // a temp folder
            }
        }
    }

    private static void launchRates(CudaDevice d, int launches, int rounds) {
        try (CudaContext cx = CudaContext.open(d)) {
            DeviceBuffer w = cx.alloc("w", 4 * 32);
            DeviceBuffer x = cx.alloc("x", 4 * 32);
            DeviceBuffer out = cx.alloc("out", 4 * 32);
            for (int round = 0; round <= rounds; round++) { // round 0 warms up
                for (CudaContext.LaunchPath path : paths()) {
                    cx.useLaunchPath(path);
                    cx.synchronize();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < launches; i++) {
                        cx.launch(CudaKernel.ADD_F32, LaunchGeometry.elementwise(1), out.pointer(), x.pointer(), 1);
                    }
                    cx.synchronize();
                    long t1 = System.nanoTime();
                    for (int i = 0; i < launches; i++) {
                        cx.launch(CudaKernel.MATMUL_F32, LaunchGeometry.matmul(1, 1), w.pointer(), x.pointer(),
                                out.pointer(), 1, 32, 1);
                    }
                    cx.synchronize();
                    long t2 = System.nanoTime();
                    if (round > 0) {
                        System.out.printf(Locale.ROOT, "round %d %-12s add_f32 (3 args) %.2f us/launch, matmul_f32 "
                                        + "(6 args) %.2f us/launch%n", round, path,
                                (t1 - t0) / 1e3 / launches, (t2 - t1) / 1e3 / launches);
                    }
                }
            }
        }
    }

    private static List<CudaContext.LaunchPath> paths() {
        return DriverLaunch.available() ? List.of(CudaContext.LaunchPath.values())
                : List.of(CudaContext.LaunchPath.JCUDA_SLOTS, CudaContext.LaunchPath.JCUDA_ARRAYS);
    }

    /**
     * Device time of one batch-1 matmul, this build's kernel against the one in {@code ptx}, with
     * 1B models' row lengths (2048 and 5632) and its output matrix. The matrices have more rows
     * than a 1B model's: a kernel must outlast a launch (5-13 us on the host), or the events time
     * the launches.
     */
    private static void matvecAb(CudaDevice d, GgmlType type, Path ptx, int rounds) throws IOException {
        int[][] shapes = {{32768, 2048}, {16384, 5632}, {32000, 2048}}; // rows, cols
        int blockBytes = type == GgmlType.Q4_0 ? 18 : 34;
        CudaKernel kernel = type == GgmlType.Q4_0 ? CudaKernel.MATMUL_Q4_0 : CudaKernel.MATMUL_Q8_0;
        int reps = 100;
        try (CudaContext cx = CudaContext.open(d); KernelArguments args = new KernelArguments()) {
            byte[] text = Files.readAllBytes(ptx);
            byte[] z = Arrays.copyOf(text, text.length + 1);
            CUmodule module = new CUmodule();
            CudaContext.check(JCudaDriver.cuModuleLoadData(module, z), "cuModuleLoadData(" + ptx + ")");
            CUfunction old = new CUfunction();
            CudaContext.check(JCudaDriver.cuModuleGetFunction(old, module, kernel.entry()), "old entry");
            CUevent start = new CUevent();
            CUevent stop = new CUevent();
            JCudaDriver.cuEventCreate(start, 0);
            JCudaDriver.cuEventCreate(stop, 0);
            for (int[] shape : shapes) {
                int rows = shape[0];
                int cols = shape[1];
                long bytes = (long) rows * (cols / 32) * blockBytes;
                DeviceBuffer w = cx.alloc("w", bytes);
                byte[] host = new byte[(int) bytes];
                Random r = new Random(1);
                r.nextBytes(host);
                for (long b = 0; b < bytes; b += blockBytes) { // finite f16 scales: 0x3C00 = 1.0
                    host[(int) b] = 0;
                    host[(int) b + 1] = 0x3C;
                }
                cx.upload(w, MemorySegment.ofArray(host));
                DeviceBuffer x = cx.alloc("x", 4L * cols);
                DeviceBuffer out = cx.alloc("out", 4L * rows);
                LaunchGeometry g = LaunchGeometry.matmul(rows, 1);
                for (int round = 0; round <= rounds; round++) {
                    double[] gbs = new double[2];
                    for (int which = 0; which < 2; which++) {
                        CUfunction f = which == 0 ? old : cx.function(kernel);
                        JCudaDriver.cuEventRecord(start, cx.stream());
                        for (int i = 0; i < reps; i++) {
                            CudaContext.check(JCudaDriver.cuLaunchKernel(f, g.gridX(), g.gridY(), 1,
                                    g.blockX(), 1, 1, 0, cx.stream(), args.write(kernel.entry(), w.pointer(),
                                            x.pointer(), out.pointer(), rows, cols, 1), null), "launch");
                        }
                        JCudaDriver.cuEventRecord(stop, cx.stream());
                        JCudaDriver.cuEventSynchronize(stop);
                        float[] ms = new float[1];
                        JCudaDriver.cuEventElapsedTime(ms, start, stop);
                        gbs[which] = bytes * reps / (ms[0] / 1e3) / 1e9;
                    }
                    if (round > 0) {
                        System.out.printf(Locale.ROOT, "round %d %s %dx%d batch 1: old %.0f GB/s, new %.0f GB/s "
                                + "(x%.2f)%n", round, type, rows, cols, gbs[0], gbs[1], gbs[1] / gbs[0]);
                    }
                }
            }
            JCudaDriver.cuModuleUnload(module);
        }
    }

    private static void decodeRates(CudaDevice d, Path model, String name, int rounds) {
        try (GgufFile file = GgufFile.open(model)) {
            LlamaModel llama = LlamaModel.load(file);
            try (CudaLlamaForwardPass pass = CudaLlamaForwardPass.open(CudaContext.open(d), llama, 512, 64)) {
                int[] seq = LogitsConformance.tokens(PROMPT + DECODE, llama.vocabSize(), 8);
                List<CudaContext.LaunchPath> paths = paths();
                List<List<Double>> rates = new ArrayList<>();
                paths.forEach(p -> rates.add(new ArrayList<>()));
                for (int round = 0; round <= rounds; round++) {
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                            "round %d %s Q4_0 tg%d (argmax on the device):", round, name, DECODE));
                    for (int i = 0; i < paths.size(); i++) {
                        pass.context().useLaunchPath(paths.get(i));
                        int next = pass.forwardArgmax(seq, 0, PROMPT, 0);
                        long t0 = System.nanoTime();
                        for (int t = 0; t < DECODE; t++) {
                            seq[PROMPT + t] = next;
                            next = pass.forwardArgmax(seq, PROMPT + t, 1, PROMPT + t);
                        }
                        double rate = DECODE / ((System.nanoTime() - t0) / 1e9);
                        if (round > 0) {
                            rates.get(i).add(rate);
                        }
                        line.append(String.format(Locale.ROOT, " %s %.1f tok/s", paths.get(i), rate));
                    }
                    if (round > 0) {
                        System.out.println(line);
                    }
                }
                for (int i = 0; i < paths.size(); i++) {
                    List<Double> r = rates.get(i).stream().sorted().toList();
                    System.out.printf(Locale.ROOT, "%s %s: median %.1f tok/s over %d rounds%n", name, paths.get(i),
                            r.get(r.size() / 2), r.size());
                }
            }
        }
    }
}
