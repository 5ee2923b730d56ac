/**
 * The AWS CLI's own code, run in one long-lived Python interpreter per describe (aws-cli-batch.py): each
 * command still gets a fresh driver and botocore session, so the wire format checked is exactly what `aws`
 * sends and parses; only the interpreter start (about a second of CPU per command) is paid once. Falls
 * back to one `aws` process per command when the interpreter behind `aws` cannot be found.
 */
import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL("./aws-cli-batch.py", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The Python interpreter of the `aws` on PATH (through a pyenv shim too), or undefined. */
function awsPython(): string | undefined {
  const which = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8" }).stdout?.trim() || undefined;
  let script = which("sh", ["-c", "command -v aws"]);
  if (!script) return undefined;
  try {
    if (readFileSync(script, "utf8").includes("pyenv")) script = which("pyenv", ["which", "aws"]) ?? script;
    const shebang = readFileSync(script, "utf8").split("\n", 1)[0]!;
    const m = /^#!\s*(\S*python[\d.]*)\s*$/.exec(shebang);
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** Runs `aws ARGS` commands one after another, in one interpreter when it can. */
export class AwsCliRunner {
  private child?: ChildProcessWithoutNullStreams;
  private buffered = "";
  private waiting: { resolve: (r: CliResult) => void; reject: (e: Error) => void }[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly env: NodeJS.ProcessEnv, private readonly python = awsPython()) {}

  run(args: string[], timeoutMs = 30_000): Promise<CliResult> {
    const next = this.queue.then(() => (this.python ? this.inBatch(args, timeoutMs) : this.alone(args, timeoutMs)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  stop(): void {
    this.child?.stdin.end();
    this.child?.kill();
    this.child = undefined;
  }

  private async alone(args: string[], timeout: number): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run("aws", args, { env: this.env, timeout });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: unknown; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(err) };
    }
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = spawn(this.python!, [SCRIPT], { env: this.env });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf("\n")) >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        const a = JSON.parse(line) as { rc: number; stdout: string; stderr: string };
        this.waiting.shift()?.resolve({ code: a.rc, stdout: a.stdout, stderr: a.stderr });
      }
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`the AWS CLI interpreter exited (${code}): ${stderr.slice(-2000)}`));
      if (this.child === child) this.child = undefined;
    });
    return child;
  }

  private inBatch(args: string[], timeoutMs: number): Promise<CliResult> {
    this.child ??= this.start();
    const child = this.child;
    return new Promise<CliResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A hung command leaves the interpreter mid-request: end it, the next command starts another.
        reject(new Error(`aws ${args.join(" ")} took over ${timeoutMs} ms`));
        child.kill();
      }, timeoutMs);
      this.waiting.push({
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      child.stdin.write(`${JSON.stringify({ args })}\n`);
    });
  }
}
