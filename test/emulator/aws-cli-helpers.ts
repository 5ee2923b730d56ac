/**
 * The AWS CLI as an independent client of `appstreamctl emulator` started as a child process (from dist/):
 * botocore's own serialisers, parsers and paginators check the emulator's wire format, not our SDK's.
 * The commands of one describe run in one Python interpreter (aws-cli-batch.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll } from "vitest";
import { AwsCliRunner } from "./aws-cli-batch.js";
import { REPO, spawnEmulator, type SpawnedEmulator } from "./spawn.js";

/** Fake keys and no pager; no profile or config file of the machine can change what the CLI sends. */
export const CLI_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_PAGER: "",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
};
delete CLI_ENV.AWS_PROFILE;
delete CLI_ENV.AWS_DEFAULT_PROFILE;
delete CLI_ENV.AWS_SESSION_TOKEN;

/** A command the installed CLI must know (its `help` must succeed), and why the tests skip when it doesn't. */
export interface AwsCliProbe {
  args: string[];
  missing: string;
}

/**
 * Why the AWS CLI tests of a file cannot run ("" when they can): no `aws` on PATH, an `aws` too old for
 * `extraProbe`, or no dist/ for the spawned emulator.
 */
export function awsCliSkipReason(extraProbe?: AwsCliProbe): string {
  if (spawnSync("aws", ["--version"], { stdio: "ignore" }).status !== 0) return "the AWS CLI (`aws`) is not on PATH";
  if (extraProbe) {
    // `help` pages through $PAGER; `cat` keeps it from waiting on a terminal.
    const probe = spawnSync("aws", [...extraProbe.args, "help"], { stdio: "ignore", env: { ...process.env, PAGER: "cat" } });
    if (probe.status !== 0) return extraProbe.missing;
  }
  if (!existsSync(`${REPO}/dist/src/cli/main.js`)) return "dist/ is missing: run `npm run build`";
  return "";
}

/** `aws <service> …` bound to one emulator. */
export interface AwsService {
  /** Runs `aws <service> ARGS` and parses its JSON output (`{}` when it prints nothing); throws with stderr. */
  aws(...args: string[]): Promise<any>;
  /** Runs a command that must fail and returns its stderr (where botocore names the error code). */
  awsError(...args: string[]): Promise<string>;
  /**
   * Follows NextToken by hand (botocore has no paginator for some operations) and returns every item of
   * `member` with the number of pages it took.
   */
  pages(member: string, ...args: string[]): Promise<{ items: any[]; pages: number }>;
}

export interface AwsCli extends AwsService {
  /** The emulator's base URL (valid once the describe's beforeAll has run). */
  url(): string;
  /** Another service of the same emulator, with the same region and environment. */
  other(service: string): AwsService;
}

export interface AwsCliOptions {
  /** Default us-east-1. */
  region?: string;
  /** Overrides of {@link CLI_ENV} (e.g. the access key, which STS echoes). */
  env?: NodeJS.ProcessEnv;
  /** Seeds resources once the emulator listens, inside the same beforeAll. */
  setUp?: (cli: AwsCli) => Promise<void>;
  /** The beforeAll's timeout, for a `setUp` that runs `aws` itself. */
  setUpTimeout?: number;
}

/**
 * Spawns an emulator with `emulatorArgs` in this describe's beforeAll (stopped in its afterAll) and returns
 * `aws <service> … --endpoint-url <emulator> --region <region> --output json` bound to it.
 */
export function useAwsCli(
  service: string,
  emulatorArgs: string[] = ["--page-size", "2", "--time-scale", "0"],
  { region = "us-east-1", env, setUp, setUpTimeout }: AwsCliOptions = {},
): AwsCli {
  let emu: SpawnedEmulator | undefined;
  const url = (): string => {
    if (!emu) throw new Error("the AWS CLI emulator is not started yet (use it inside a test or setUp)");
    return emu.url;
  };
  const runner = new AwsCliRunner(env ? { ...CLI_ENV, ...env } : CLI_ENV);

  const bind = (svc: string): AwsService => {
    async function aws(...args: string[]): Promise<any> {
      const r = await runner.run([svc, ...args, "--endpoint-url", url(), "--region", region, "--output", "json"]);
      if (r.code !== 0) throw Object.assign(new Error(`aws ${svc} ${args.join(" ")} exited ${r.code}: ${r.stderr}`), { stderr: r.stderr });
      return r.stdout.trim() === "" ? {} : JSON.parse(r.stdout);
    }
    async function awsError(...args: string[]): Promise<string> {
      try {
        await aws(...args);
      } catch (err) {
        return String((err as { stderr?: string }).stderr);
      }
      throw new Error(`aws ${svc} ${args.join(" ")} succeeded`);
    }
    async function pages(member: string, ...args: string[]): Promise<{ items: any[]; pages: number }> {
      const items: any[] = [];
      let token: string | undefined;
      let count = 0;
      do {
        const out = await aws(...args, ...(token ? ["--next-token", token] : []));
        items.push(...(out[member] ?? []));
        token = out.NextToken;
        count++;
      } while (token);
      return { items, pages: count };
    }
    return { aws, awsError, pages };
  };

  const cli: AwsCli = { ...bind(service), url, other: bind };

  beforeAll(async () => {
    emu = await spawnEmulator(emulatorArgs);
    await setUp?.(cli);
  }, setUpTimeout);

  afterAll(async () => {
    runner.stop();
    await emu?.stop();
  });

  return cli;
}
