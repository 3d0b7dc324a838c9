package io.inferlab.reports;

import java.nio.file.Path;

/**
 * Bad input to the report generator: a result, baseline, history or metadata file that cannot be
 * read or holds nothing usable. The message always names the file and the problem, so the CLI can
 * print it as one line.
 */
public final class ReportInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public ReportInputException(Path file, String problem) {
        this(file, problem, null);
    }

    public ReportInputException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file that was wrong. */
    public Path file() {
        return file;
    }

    /** What was wrong with it, without the file name. */
    public String problem() {
        return problem;
    }
}
