/**
 * The process boundary as values: streams, environment, working directory. Commands receive an `Io`
 * instead of touching `process`, so every command runs in-process in tests. A leaf module: the layers
 * below the CLI (manifest loading, AWS connection) read `env` and `cwd` through it without importing cli/.
 */

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
