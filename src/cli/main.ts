/**
 * Entry point: `run(argv, io)` returns an exit code (exit.ts) and never exits the process; `main` wires
 * it to the real process.
 */
import { CommanderError } from "commander";
import { AppError } from "../core/errors.js";
import { EXIT } from "./exit.js";
import { applyColor, shouldColor, type ColorMode, type Io } from "./io.js";
import { buildProgram } from "./program.js";
import { renderError } from "./render/errors.js";

/** Runs one command line in-process. */
export async function run(argv: string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  // Colour must be decided before commander prints anything (help, usage errors).
  applyColor(shouldColor(peekColor(argv), io.env, io.stdout));
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version print and succeed; every other commander error is a usage error: exit 1.
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    io.stderr.write(renderError(err));
    return err instanceof AppError && err.code === "apply.interrupted" ? EXIT.interrupted : EXIT.error;
  }
  return code;
}

function peekColor(argv: string[]): ColorMode {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = a.startsWith("--color=") ? a.slice(8) : a === "--color" ? argv[i + 1] : undefined;
    if (v === "always" || v === "never" || v === "auto") return v;
  }
  return "auto";
}

/** Wires `run` to the real process (used by bin/appstreamctl.js only). */
export async function main(argv: string[]): Promise<number> {
  // The machines run Node 20 by design; the SDK's notice about future Node versions is noise on stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    onInterrupt: (handler) => {
      process.on("SIGINT", handler);
      return () => process.off("SIGINT", handler);
    },
  };
  return run(argv, io);
}
