package io.inferlab.datasets.suites;

import io.inferlab.api.InferLabException;

/** A prompt suite file is invalid; the message names the file and the field. */
public class SuiteFormatException extends InferLabException {
    public SuiteFormatException(String source, String field, String problem) {
        super(source + ": " + (field.isEmpty() ? "" : "field '" + field + "' ") + problem);
    }
}
