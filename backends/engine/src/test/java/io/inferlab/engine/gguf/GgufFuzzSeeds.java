package io.inferlab.engine.gguf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.model.TinyLlamaFixture;
import io.inferlab.engine.model.synthetic.GptOssShape;
import io.inferlab.engine.tensor.GgmlType;

/**
 * Writes the seed corpus of the GGUF fuzz targets: small valid files from the test fixtures,
 * covering metadata of every value type, nested arrays, every tensor type, and the llama and
 * gpt-oss models with their tokenizers. Run once after a fixture changes and commit the output
 * under src/test/resources (the fuzz tests replay it in every build):
 * {@code java -cp backends/engine/target/test-classes:backends/engine/target/classes:backends/api/target/classes
 * io.inferlab.engine.gguf.GgufFuzzSeeds backends/engine}.
 */
public final class GgufFuzzSeeds {
    private GgufFuzzSeeds() {
    }

    /** Seeds by file name. */
    public static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("seed-sample-every-tensor-type", GgufFixtures.bytes(GgufFixtures.sample()));
        seeds.put("seed-every-value-type", GgufFixtures.bytes(everyValueType()));
        for (GgmlType t : GgmlType.values()) {
            GgufWriter w = new GgufWriter().put(GgufFile.KEY_ALIGNMENT, GgufValueType.UINT32, 64L);
            GgufFixtures.addTensor(w, "t", t, 7, 32, 1, 1, 2);
            seeds.put("seed-4d-" + t.name().toLowerCase(java.util.Locale.ROOT), GgufFixtures.bytes(w));
        }
        return seeds;
    }

    /**
     * Model files for the model-loading target: the tiny llama fixture in Q4_0 and a gpt-oss
     * fixture shrunk to one layer of two 32-wide experts, so inputs stay small and fast to mutate.
     */
    public static Map<String, byte[]> modelSeeds(Path tmp) throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("seed-tiny-llama-q4_0", Files.readAllBytes(
                new TinyLlamaFixture().type(GgmlType.Q4_0).tiedOutput(true).write(tmp.resolve("llama.gguf"))));
        GptOssShape small = new GptOssShape(32, 1, 2, 1, 16, 2, 1, 32,
                GptOssFixture.TOKENS.size(), 8, 128);
        seeds.put("seed-small-gpt-oss", Files.readAllBytes(new GptOssFixture().shape(small)
                .denseType(GgmlType.Q8_0).embeddingType(GgmlType.Q8_0).tiedOutput(true)
                .write(tmp.resolve("gpt-oss.gguf"))));
        return seeds;
    }

    /**
     * The tokenizer target's seeds: the model seeds' metadata alone (no tensors), since the
     * tokenizer reads only metadata and tensor bytes would only slow the fuzzer down.
     */
    public static Map<String, byte[]> tokenizerSeeds(Map<String, byte[]> models) {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        models.forEach((name, bytes) -> seeds.put(name + "-metadata", metadataOnly(bytes)));
        return seeds;
    }

    static byte[] metadataOnly(byte[] file) {
        try (GgufFile f = GgufFile.read(Path.of("seed"), java.lang.foreign.MemorySegment.ofArray(file))) {
            GgufWriter w = new GgufWriter();
            GgufMetadata md = f.metadata();
            for (String key : md.keys()) {
                w.put(key, md.type(key).orElseThrow(), md.get(key).orElseThrow());
            }
            return GgufFixtures.bytes(w);
        }
    }

    /** One key of every scalar type, an array of every element type and arrays of arrays. */
    static GgufWriter everyValueType() {
        return new GgufWriter()
                .put("general.architecture", "test")
                .put("v.u8", GgufValueType.UINT8, 200)
                .put("v.i8", GgufValueType.INT8, (byte) -3)
                .put("v.u16", GgufValueType.UINT16, 60000)
                .put("v.i16", GgufValueType.INT16, (short) -300)
                .put("v.u32", GgufValueType.UINT32, 4_000_000_000L)
                .put("v.i32", GgufValueType.INT32, -7)
                .put("v.f32", GgufValueType.FLOAT32, 0.5f)
                .put("v.bool", GgufValueType.BOOL, true)
                .put("v.str", GgufValueType.STRING, "h\u00e9llo")
                .put("v.u64", GgufValueType.UINT64, -1L)
                .put("v.i64", GgufValueType.INT64, -2L)
                .put("v.f64", GgufValueType.FLOAT64, 2.5)
                .put("a.u8", new GgufArray(GgufValueType.UINT8, new byte[] {1, 2}))
                .put("a.u16", new GgufArray(GgufValueType.UINT16, new short[] {1, 2}))
                .put("a.i32", GgufArray.of(1, -2, 3))
                .put("a.f32", GgufArray.of(1f, 2f))
                .put("a.u64", new GgufArray(GgufValueType.UINT64, new long[] {1, 2}))
                .put("a.f64", new GgufArray(GgufValueType.FLOAT64, new double[] {1, 2}))
                .put("a.bool", new GgufArray(GgufValueType.BOOL, new boolean[] {true, false}))
                .put("a.str", GgufArray.of("x", "yz", ""))
                .put("a.nested", new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                        GgufArray.of(1, 2),
                        new GgufArray(GgufValueType.ARRAY, new GgufArray[] {GgufArray.of("deep")})}));
    }

    /** Writes the seeds into the fuzz tests' input folders: {@code args[0]} is the engine module's directory. */
    public static void main(String[] args) throws IOException {
        Path module = Path.of(args.length > 0 ? args[0] : ".");
        Path res = module.resolve("src/test/resources/io/inferlab/engine");
        write(res.resolve("gguf/GgufFileFuzzTestInputs/read"), seeds());
        Path tmp = Files.createTempDirectory("gguf-seeds");
        Map<String, byte[]> models = modelSeeds(tmp);
        write(res.resolve("model/ModelsFuzzTestInputs/load"), models);
        write(res.resolve("tokenizer/TokenizersFuzzTestInputs/fromMetadata"), tokenizerSeeds(models));
    }

    private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }
}
