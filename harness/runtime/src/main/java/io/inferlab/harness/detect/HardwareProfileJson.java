package io.inferlab.harness.detect;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON form of a {@link HardwareProfile} (the schema is documented in the README's
 * {@code detect} section): snake_case keys, every key always present (null where a value does not
 * apply), device properties sorted by key. Readers ignore keys they do not know, so a later
 * schema version that only adds keys still reads.
 */
public final class HardwareProfileJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private HardwareProfileJson() {
    }

    public static String write(HardwareProfile profile) {
        try {
            return MAPPER.writeValueAsString(profile);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write the hardware profile as JSON", e);
        }
    }

    /** Reads a profile written by {@link #write}. */
    public static HardwareProfile read(String json) {
        try {
            return MAPPER.readValue(json, HardwareProfile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a hardware profile: " + e.getMessage(), e);
        }
    }
}
