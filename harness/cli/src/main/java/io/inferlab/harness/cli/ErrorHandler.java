package io.inferlab.harness.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;

import io.inferlab.api.InferLabException;
import picocli.CommandLine;

/**
 * Turns any failure of a command into one line on stderr and exit code 1. Our typed errors
 * already name what was wrong and where; anything else is reported with its type so a user can
 * still tell what happened (the stack trace only with {@code INFERLAB_DEBUG=1}).
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    private final PrintStream err;

    ErrorHandler(PrintStream err) {
        this.err = err;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parseResult) {
        err.println("inferlab: error: " + describe(ex));
        if ("1".equals(System.getenv("INFERLAB_DEBUG"))) {
            ex.printStackTrace(err);
        }
        return Main.EXIT_ERROR;
    }

    static String describe(Throwable ex) {
        if (ex instanceof InferLabException || ex instanceof IllegalArgumentException) {
            return ex.getMessage();
        }
        if (ex instanceof UncheckedIOException u) {
            return u.getMessage();
        }
        if (ex instanceof OutOfMemoryError) {
            return "out of memory (" + ex.getMessage() + "): try a smaller model or context, or a larger -Xmx";
        }
        return ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
    }
}
