/**
 * What the CLI adds to the process boundary (`Io`, in shared/io.ts): colour, output formats and the
 * options every command understands.
 */
import kleur from "kleur";
import type { ConnectFlags } from "../aws/client.js";
import type { Io, Out } from "../shared/io.js";

export type { Io, Out } from "../shared/io.js";

export type ColorMode = "auto" | "always" | "never";
/** Every `-o` value; each command supports a subset (render/output.ts `requireFormat`). */
export const OUTPUT_FORMATS = ["text", "json", "yaml", "markdown", "dot", "mermaid"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * Read calls in flight at once (`--read-concurrency`). Every call in flight when the account's rate
 * limit is first met comes back throttled, so this is also what that moment costs; three fill a 10–20
 * request/second limit at the ~100 ms a Describe takes, and the pacer (aws/pacer.ts) sets the rate after.
 */
export const DEFAULT_READ_CONCURRENCY = 3;

/** Options every command understands (DESIGN.md §2), parsed once by the root program. */
export interface GlobalOptions extends ConnectFlags {
  file: string[];
  output: OutputFormat;
  color: ColorMode;
  verbose: number;
}

/** What a command handler receives: the process boundary and the parsed global options. */
export interface CommandEnv {
  io: Io;
  globals: GlobalOptions;
}

export type Handler<O = Record<string, unknown>> = (env: CommandEnv, opts: O, args: string[]) => Promise<number>;

/**
 * Colour decision: `--color` wins; then NO_COLOR (any non-empty value) disables, FORCE_COLOR (not "0")
 * enables; otherwise colour only when stdout is a terminal.
 */
export function shouldColor(mode: ColorMode, env: Io["env"], out: Out): boolean {
  if (mode === "always") return true;
  if (mode === "never") return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false") return true;
  return out.isTTY === true;
}

/** kleur keeps one global switch; set it once per command run. */
export function applyColor(enabled: boolean): void {
  kleur.enabled = enabled;
}

/** A collecting Out for tests and for capturing output. */
export class BufferOut implements Out {
  chunks: string[] = [];
  isTTY = false;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  text(): string {
    return this.chunks.join("");
  }
}
