package io.inferlab.harness.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code inferlab} command line. Exit codes: 0 success, 1 error (one line on stderr, no
 * stack trace), 2 usage error, 3 regression detected (reports).
 */
@Command(name = "inferlab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A performance lab for local LLM inference.",
        subcommands = {BenchCommand.class, DetectCommand.class, GenerateCommand.class, ChatCommand.class, PerfCommand.class, ModelsCommand.class, ReportCommand.class, CompareCommand.class, SelectCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try 'inferlab --help')");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs the CLI with the given streams and returns the exit code (tests call this). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler(new ErrorHandler(err));
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("inferlab: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            return EXIT_USAGE;
        });
        try {
            return cli.execute(args);
        } catch (Error e) {
            // Errors bypass picocli's handler (out of memory, a linkage failure in a native binding).
            err.println("inferlab: error: " + ErrorHandler.describe(e));
            return EXIT_ERROR;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"inferlab " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
