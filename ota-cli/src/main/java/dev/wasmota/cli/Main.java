package dev.wasmota.cli;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.io.StorageFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * The {@code ota} entry point. The one place a failure becomes an exit code and a line on
 * standard error: refusals by their reason's exit code, usage errors 2, a full disk 4
 * ({@code STORAGE_FULL}, wherever the write was), anything else 1 with the place it came from
 * (the stack trace only with {@code OTA_DEBUG=1}).
 */
public final class Main {
    private Main() {
    }

    /** The logging configuration on the class path: warnings only, on standard error (HiveMQ brings a chatty logback.xml). */
    static final String LOGGING = "ota-logback.xml";

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING);
        }
        System.exit(run(args, CliEnv.system(), System.out, System.err));
    }

    /** Runs one command line; returns its exit code. */
    public static int run(String[] args, CliEnv env, PrintStream out, PrintStream err) {
        PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine cmd = Commands.build(env);
        cmd.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cmd.setErr(errWriter);
        cmd.setExecutionExceptionHandler((ex, line, parse) -> handle(ex, line, errWriter));
        cmd.setParameterExceptionHandler((ex, args2) -> usage(ex, errWriter));
        return cmd.execute(args);
    }

    private static String firstLine(String message) {
        return message == null ? "no space left on device" : message.lines().findFirst().orElse("");
    }

    private static int usage(CommandLine.ParameterException ex, PrintWriter err) {
        err.println("usage error: " + ex.getMessage());
        err.println("try: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
        return ExitCode.USAGE.code();
    }

    static int handle(Exception ex, CommandLine line, PrintWriter err) {
        if (ex instanceof RejectedException r) {
            err.println(r.userMessage());
            return r.exitCode().code();
        }
        if (ex instanceof CommandLine.ParameterException p) {
            return usage(p, err);
        }
        if (DurableFiles.isNoSpace(ex)) {
            RejectedException full = new RejectedException(StorageFailure.STORAGE_FULL, "the disk is full: "
                    + firstLine(ex.getMessage()));
            err.println(full.userMessage());
            return full.exitCode().code();
        }
        if (ex instanceof NoSuchFileException n) {
            err.println("usage error: no such file: " + n.getFile() + (n.getReason() != null ? " (" + n.getReason() + ")" : ""));
            return ExitCode.USAGE.code();
        }
        if (ex instanceof FileAlreadyExistsException f) {
            err.println("usage error: refusing to overwrite " + f.getFile());
            return ExitCode.USAGE.code();
        }
        if (ex instanceof AccessDeniedException a) {
            err.println("usage error: permission denied: " + a.getFile());
            return ExitCode.USAGE.code();
        }
        if (ex instanceof IOException io) {
            err.println("error: I/O failure: " + io.getMessage());
            return ExitCode.INTERNAL.code();
        }
        StackTraceElement where = ex.getStackTrace().length > 0 ? ex.getStackTrace()[0] : null;
        err.println("internal error in " + line.getCommandSpec().qualifiedName() + ": " + ex + (where != null ? " at " + where : ""));
        if ("1".equals(System.getenv("OTA_DEBUG"))) {
            ex.printStackTrace(err);
        } else {
            err.println("(set OTA_DEBUG=1 for the stack trace; please report this)");
        }
        return ExitCode.INTERNAL.code();
    }
}
