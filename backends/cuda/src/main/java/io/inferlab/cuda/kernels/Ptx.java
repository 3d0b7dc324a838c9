package io.inferlab.cuda.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.inferlab.api.BackendUnavailableException;

/** Reading the packaged PTX: the text of a kernel's module and the entry points it declares. */
public final class Ptx {
    /** ".visible .entry name(" as nvcc writes a kernel's declaration (PTX ISA, "Kernel function declarations"). */
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(");
    private static final Pattern VERSION = Pattern.compile("^\\s*\\.version\\s+(\\d+\\.\\d+)", Pattern.MULTILINE);
    private static final Pattern TARGET = Pattern.compile("^\\s*\\.target\\s+(\\w+)", Pattern.MULTILINE);

    private Ptx() {
    }

    /**
     * The PTX text of {@code kernel}'s module, NUL-terminated as {@code cuModuleLoadData} wants it.
     *
     * @throws BackendUnavailableException naming the resource when it is missing from the class path
     */
    public static byte[] load(CudaKernel kernel) {
        try (InputStream in = Ptx.class.getClassLoader().getResourceAsStream(kernel.resource())) {
            if (in == null) {
                throw new BackendUnavailableException("the PTX of CUDA kernel '" + kernel.entry() + "' (resource "
                        + kernel.resource() + ") is missing from the class path: the jar was built without the "
                        + "kernels (see backends/cuda/scripts/build-ptx.sh)");
            }
            byte[] text = in.readAllBytes();
            byte[] z = new byte[text.length + 1];
            System.arraycopy(text, 0, z, 0, text.length);
            return z;
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot read " + kernel.resource() + ": " + e.getMessage(), e);
        }
    }

    /** The text of a loaded module, without the terminating NUL. */
    public static String text(byte[] module) {
        int n = module.length > 0 && module[module.length - 1] == 0 ? module.length - 1 : module.length;
        return new String(module, 0, n, StandardCharsets.US_ASCII);
    }

    /** The kernel entry points a PTX module declares, in order. */
    public static List<String> entryPoints(String ptx) {
        List<String> names = new ArrayList<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The module's {@code .version} (PTX ISA), or "" when absent. */
    public static String version(String ptx) {
        Matcher m = VERSION.matcher(ptx);
        return m.find() ? m.group(1) : "";
    }

    /** The module's {@code .target} (e.g. sm_75), or "" when absent. */
    public static String target(String ptx) {
        Matcher m = TARGET.matcher(ptx);
        return m.find() ? m.group(1) : "";
    }
}
