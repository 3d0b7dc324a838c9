package io.inferlab.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.datasets.models.GptOssPreset;
import io.inferlab.datasets.models.MemoryPlan;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.harness.backends.Backends;
import io.inferlab.harness.bench.BenchResult;
import io.inferlab.harness.bench.LlamaBench;

/** {@code inferlab models} with the gpt-oss presets: list, plan (dry run), generate; the bench on a generated one. */
class ModelsCommandTest {
    @TempDir
    Path dir;

    @Test
    void listShowsEveryPresetWithParametersAndSize() {
        MainTest.Run r = MainTest.run("models", "list");
        assertEquals(0, r.code(), r.err());
        for (String name : new String[] {"tiny", "llama3-1b", "gpt-oss-tiny", "gpt-oss-1b", "gpt-oss-20b"}) {
            assertTrue(r.out().contains(name + " "), name + " in\n" + r.out());
        }
        assertTrue(r.out().contains("20915M") && r.out().contains("[plan only]"), r.out());
        assertTrue(r.out().contains("11.26 GiB"), "gpt-oss-20b's q8_0 weights:\n" + r.out());
    }

    @Test
    void planSizesTheTwentyBShapeWithoutWritingIt() throws Exception {
        MainTest.Run r = MainTest.run("models", "plan", "--preset", "gpt-oss-20b", "--context", "1024", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        MemoryPlan expected = GptOssPreset.TWENTY_B.plan(GgmlType.Q8_0);
        assertEquals(expected.bytesPerToken(), o.get("plan").get("bytesPerToken").asLong());
        assertEquals(expected.weightBytes(), o.get("plan").get("weightBytes").asLong());
        assertEquals(expected.requiredBytes(1024), o.get("requiredBytes").asLong());
        JsonNode host = o.get("devices").get(0);
        assertEquals("CPU", host.get("kind").asText());
        assertEquals(host.get("memoryBytes").asLong() >= expected.requiredBytes(1024), host.get("fits").asBoolean());

    }

    @Test
    void planTextSaysWhatFitsWhere() {
        MemoryPlan plan = GptOssPreset.TWENTY_B.plan(GgmlType.Q8_0);
        java.io.StringWriter text = new java.io.StringWriter();
        ModelsCommand.Plan.print(new java.io.PrintWriter(text), GptOssPreset.TWENTY_B, plan, 4096, java.util.List.of(
                new ModelsCommand.Plan.Fit("host RAM", "CPU", 24L << 30, plan.fits(24L << 30, 4096)),
                new ModelsCommand.Plan.Fit("small GPU", "CUDA", 8L << 30, plan.fits(8L << 30, 4096))));
        String out = text.toString();
        assertTrue(out.contains("active experts only") && out.contains("KV cache / 1k ctx"), out);
        assertTrue(out.contains("96.0 MiB (our engine"), out); // 24 layers x 2 x 512 x 4 bytes x 1024
        assertTrue(out.matches("(?s).*host RAM .* yes.*small GPU .* no \\(short by 3\\.[0-9]+ GiB\\).*"), out);
    }

    @Test
    void generateRefusesThePlanningShapeAndMxfp4AsAType() {
        MainTest.Run r = MainTest.run("models", "generate", "--preset", "gpt-oss-20b", "--out", dir.resolve("x.gguf").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("models plan --preset gpt-oss-20b") && r.err().contains("--force"), r.err());
        assertTrue(!Files.exists(dir.resolve("x.gguf")));
        r = MainTest.run("models", "generate", "--preset", "gpt-oss-1b", "--type", "mxfp4");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("always have MXFP4 experts"), r.err());
    }

    /**
     * A generated gpt-oss preset runs in perf's llama-bench (the CLI's perf adds only the start-up
     * bandwidth measurement), whose roofline divides by the bytes of the active experts only.
     */
    @Test
    void generatedGptOssRunsInTheBenchWithTheActiveExpertRoofline() {
        Path model = dir.resolve("oss.gguf");
        MainTest.Run g = MainTest.run("models", "generate", "--preset", "gpt-oss-tiny", "--out", model.toString());
        assertEquals(0, g.code(), g.err());
        assertEquals(model.toAbsolutePath().toString(), g.out().trim());
        assertTrue(Files.isRegularFile(model.resolveSibling("oss.gguf.sha256")));

        BackendOptions options = BackendOptions.defaults().withThreads(2).withContextLength(16);
        try (InferenceBackend b = Backends.discover().open("cpu", ModelSource.gguf(model), options)) {
            MemoryPlan plan = GptOssPreset.TINY.plan(GgmlType.Q8_0);
            assertEquals(plan.bytesPerToken(), b.model().bytesPerToken());
            BenchResult tg = LlamaBench.run(List.of(new LlamaBench(b, 2)), List.of(), List.of(4), 1, () -> 20e9).getFirst();
            assertEquals("tg4", tg.test());
            assertTrue(tg.computeMode().contains("mxfp4"), tg.computeMode());
            assertTrue(tg.tokensPerSecondMean() > 0);
            assertEquals(20e9 / plan.bytesPerToken(), tg.rooflineTokensPerSecond(), 1e-6);
        }
    }

    @Test
    void perfNamesThePresetsWhenTheModelIsNeither() {
        MainTest.Run r = MainTest.run("perf", "--model", "no-such-model", "-n", "1", "-p", "0", "-r", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("neither a model file nor a preset") && r.err().contains("gpt-oss-1b"), r.err());
    }
}
