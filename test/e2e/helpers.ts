/**
 * End-to-end helpers: the CLI runs in-process (`run(argv, io)`) against a real emulator over HTTP, through
 * the real SDK, exactly as a user's `--endpoint-url` run would.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../src/cli/main.js";
import { BufferOut, type Io } from "../../src/cli/io.js";

export const PASSWORD = "Corp-Svc-Pa55word!";

/** The SDK's default credential chain reads process.env; the emulator accepts any signature. */
export function fakeAwsCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = "AKIDTEST";
  process.env.AWS_SECRET_ACCESS_KEY = "test-secret";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with `--endpoint-url url` and a clean environment. */
export async function cli(url: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const stdout = new BufferOut();
  const stderr = new BufferOut();
  const io: Io = {
    stdout, stderr, cwd: opts.cwd ?? process.cwd(),
    env: { AWS_REGION: "us-east-1", APPSTREAM_AD_PASSWORD: PASSWORD, ...opts.env },
  };
  const code = await run(["--endpoint-url", url, "--color", "never", ...args], io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Writes a manifest into a fresh temporary folder and returns its path. */
export function writeManifest(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "asctl-e2e-"));
  const file = join(dir, "appstream.yaml");
  writeFileSync(file, text);
  return file;
}
