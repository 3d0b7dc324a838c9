package io.inferlab.reports;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one Jackson configuration for JMH results and run metadata. */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            // JMH results are mostly numbers: the fast double parser roughly halves parse time.
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // JMH writes NaN as the string "NaN"; other tools (and hand edits) write it bare.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // RFC 3339 text for times, never epoch numbers.
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(new JavaTimeModule())
            .build();

    private Json() {
    }

    /** A shared, thread-safe mapper. */
    public static JsonMapper mapper() {
        return MAPPER;
    }
}
