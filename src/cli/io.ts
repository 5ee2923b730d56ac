/**
 * The process boundary as values: streams, environment, working directory. Commands receive an `Io`
 * instead of touching `process`, so every command runs in-process in tests.
 */
import kleur from "kleur";

/** A writable text sink (process.stdout, or a buffer in tests). */
export interface Out {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Io {
  stdout: Out;
  stderr: Out;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Interactive input, present only when a prompt could be answered. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Registers a handler for SIGINT; returns the function that removes it. Absent in tests that do not need it. */
  onInterrupt?: (handler: () => void) => () => void;
}

export type ColorMode = "auto" | "always" | "never";
/** Every `-o` value; each command supports a subset (render/output.ts `requireFormat`). */
export const OUTPUT_FORMATS = ["text", "json", "yaml", "markdown", "dot", "mermaid"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Options every command understands (DESIGN.md §2), parsed once by the root program. */
/**
 * Read calls in flight at once (`--read-concurrency`). Every call in flight when the account's rate
 * limit is first met comes back throttled, so this is also what that moment costs; three fill a 10–20
 * request/second limit at the ~100 ms a Describe takes, and the pacer (aws/pacer.ts) sets the rate after.
 */
export const DEFAULT_READ_CONCURRENCY = 3;

export interface GlobalOptions {
  file: string[];
  region?: string;
  profile?: string;
  endpointUrl?: string;
  /** `--force-region`: a `--region` that disagrees with `metadata.region` wins instead of failing. */
  forceRegion?: boolean;
  /** `--request-timeout`: the deadline of one HTTP attempt, in seconds. */
  requestTimeout?: number;
  local: boolean;
  output: OutputFormat;
  color: ColorMode;
  verbose: number;
}

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
