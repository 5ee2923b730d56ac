/**
 * Building the AppStream client from the global options (DESIGN.md §2): region, profile, endpoint,
 * retry mode — or, with `--local`, the embedded emulator on a free port with its state on disk.
 * The environment is read from `ctx.env` only, so every precedence rule is testable in-process.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AppStreamClient } from "@aws-sdk/client-appstream";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { AdaptiveRetryStrategy } from "@smithy/core/retry";
import type { GlobalOptions, Io } from "../cli/io.js";
import { AppError } from "../core/errors.js";
import { createApi, type AppStreamApi } from "./api.js";
import { Pacer } from "./pacer.js";

/** Where the region came from; shown with `-v` and in the plan's target. */
export type RegionSource = "flag" | "manifest" | "AWS_REGION" | "AWS_DEFAULT_REGION" | "profile" | "local-default";

/** Where the endpoint came from. */
export type EndpointSource = "flag" | "AWS_ENDPOINT_URL_APPSTREAM" | "AWS_ENDPOINT_URL" | "local";

type Env = Io["env"];

/** The region `--local` uses when nothing names one. Real AWS never gets a default. */
export const LOCAL_DEFAULT_REGION = "us-east-1";

/** The state file of `--local`, relative to the working directory (DESIGN.md §2). */
export const LOCAL_STATE_FILE = join(".appstreamctl", "local-state.json");

/** SDK attempts per call (the SDK's own default, reference §1.1). */
export const DEFAULT_MAX_ATTEMPTS = 3;

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/**
 * The region from the values appstreamctl itself owns, in precedence order: `--region`, the manifest's
 * `metadata.region`, `AWS_REGION`, `AWS_DEFAULT_REGION`. Undefined when none is set; the profile is the
 * last step and needs the SDK ({@link connect}). AWS_DEFAULT_REGION is the AWS CLI's variable, which the
 * JS SDK does not read, so it has to be honoured here.
 */
export function resolveRegion(input: { flag?: string; manifest?: string; env: Env }): { region: string; source: RegionSource } | undefined {
  const candidates: Array<[string | undefined, RegionSource]> = [
    [input.flag, "flag"],
    [input.manifest, "manifest"],
    [input.env.AWS_REGION, "AWS_REGION"],
    [input.env.AWS_DEFAULT_REGION, "AWS_DEFAULT_REGION"],
  ];
  for (const [value, source] of candidates) {
    const region = nonEmpty(value);
    if (region) return { region, source };
  }
  return undefined;
}

/**
 * The endpoint override: `--endpoint-url`, then `AWS_ENDPOINT_URL_APPSTREAM`, then `AWS_ENDPOINT_URL`
 * (the SDK's service-specific and global variables); the variables are skipped when
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`, as the SDK does. Undefined means the SDK's regional
 * endpoint. A value that is not an http(s) URL fails with `aws.endpoint`.
 */
export function resolveEndpoint(flag: string | undefined, env: Env): { url: string; source: EndpointSource } | undefined {
  const ignoreEnv = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === "true";
  const candidates: Array<[string | undefined, EndpointSource]> = [[flag, "flag"]];
  if (!ignoreEnv) {
    candidates.push([env.AWS_ENDPOINT_URL_APPSTREAM, "AWS_ENDPOINT_URL_APPSTREAM"], [env.AWS_ENDPOINT_URL, "AWS_ENDPOINT_URL"]);
  }
  for (const [value, source] of candidates) {
    const url = nonEmpty(value);
    if (!url) continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      const from = source === "flag" ? "--endpoint-url" : source;
      throw new AppError("aws.endpoint", `${from} is not an http(s) URL: ${JSON.stringify(url)}`, { source: "user" });
    }
    return { url, source };
  }
  return undefined;
}

/** What {@link connect} needs from the command line and the manifest. */
export interface ConnectOptions {
  globals: Pick<GlobalOptions, "region" | "profile" | "endpointUrl" | "local">;
  /** The manifest's `metadata.region`, if it has one. */
  manifestRegion?: string;
  /** SDK attempts per call; default {@link DEFAULT_MAX_ATTEMPTS}. */
  maxAttempts?: number;
  /** `--local` only: the emulator's transition time scale (0 = immediate); default the emulator's. */
  localTimeScale?: number;
}

/** A connected api and what it is connected to. */
export interface Connection {
  api: AppStreamApi;
  region: string;
  regionSource: RegionSource;
  /** The endpoint override (the emulator's URL with `--local`); undefined for the SDK's regional endpoint. */
  endpoint?: string;
  local: boolean;
  /** Releases the client's sockets; with `--local` also stops the emulator and flushes its state file. */
  close(): Promise<void>;
}

/** The slice of the emulator that `--local` uses (src/emulator/index.ts `startEmulator`). */
export interface LocalEmulator {
  url: string;
  close(): Promise<void>;
}

/** Replaceable effects of {@link connect}; tests substitute them, production uses the defaults. */
export interface ConnectDeps {
  /** The profile step of the region chain; default: ask the SDK (its shared-config loader). */
  profileRegion?: (profile: string | undefined) => Promise<string | undefined>;
  /** Starts the emulator for `--local`; default: the embedded one, loaded only when needed. */
  startEmulator?: (opts: { port: number; stateFile: string; timeScale?: number }) => Promise<LocalEmulator>;
}

/**
 * Lets the SDK resolve the region of a profile from the shared config files. The SDK's chain also looks
 * at `AWS_REGION`, which {@link resolveRegion} already handled; whatever else fails means "no region".
 */
async function sdkProfileRegion(profile: string | undefined): Promise<string | undefined> {
  const probe = new AppStreamClient(profile ? { profile } : {});
  try {
    return nonEmpty(await probe.config.region());
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

async function embeddedEmulator(opts: { port: number; stateFile: string; timeScale?: number }): Promise<LocalEmulator> {
  // Loaded lazily so that commands that never talk to AppStream do not load the emulator.
  const { startEmulator } = await import("../emulator/index.js");
  return startEmulator(opts.timeScale === undefined ? { port: opts.port, stateFile: opts.stateFile } : opts);
}

/**
 * The SDK's adaptive retry strategy (its attempts and backoff) with appstreamctl's pacer as the rate
 * limiter (pacer.ts): AppStream publishes no request rates (reference §16), and a plan's parallel reads
 * must slow down to whatever the account is allowed as soon as the service says so. One per client, so
 * every call of a command shares it.
 */
function retryStrategy(maxAttempts: number): AdaptiveRetryStrategy {
  return new AdaptiveRetryStrategy(maxAttempts, { rateLimiter: new Pacer() });
}

// A hung connection would otherwise stall a plan forever: the SDK sets no request timeout by default.
const REQUEST_HANDLER = { connectionTimeout: 10_000, requestTimeout: 120_000 };

function closer(client: AppStreamClient, tagging: ResourceGroupsTaggingAPIClient, emulator?: LocalEmulator): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      // Sockets first, so that the server's close does not wait on kept-alive connections.
      client.destroy();
      tagging.destroy();
      await emulator?.close();
    })();
    return closing;
  };
}

/**
 * Builds the api for a command. Real AWS: region by flag → manifest → AWS_REGION → AWS_DEFAULT_REGION →
 * the profile (`--profile`, else AWS_PROFILE), failing with `aws.region` when none; endpoint by
 * {@link resolveEndpoint}; the SDK's retries paced by appstreamctl's rate limiter. `--local`: the embedded emulator on 127.0.0.1 with a free
 * port and its state in `<cwd>/.appstreamctl/local-state.json`, static fake credentials, and the same
 * region chain without the profile, defaulting to us-east-1.
 */
export async function connect(ctx: Pick<Io, "env" | "cwd">, opts: ConnectOptions, deps: ConnectDeps = {}): Promise<Connection> {
  const { globals } = opts;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const fromValues = resolveRegion({ flag: globals.region, manifest: opts.manifestRegion, env: ctx.env });

  if (globals.local) {
    if (nonEmpty(globals.endpointUrl)) {
      throw new AppError("cli.usage", "--local and --endpoint-url cannot be used together: --local starts its own endpoint", {
        source: "user",
      });
    }
    const region = fromValues?.region ?? LOCAL_DEFAULT_REGION;
    const regionSource = fromValues?.source ?? "local-default";
    const stateFile = join(ctx.cwd, LOCAL_STATE_FILE);
    mkdirSync(join(ctx.cwd, ".appstreamctl"), { recursive: true });
    const start = deps.startEmulator ?? embeddedEmulator;
    const emulator = await start(
      opts.localTimeScale === undefined ? { port: 0, stateFile } : { port: 0, stateFile, timeScale: opts.localTimeScale },
    );
    let client: AppStreamClient;
    let tagging: ResourceGroupsTaggingAPIClient;
    try {
      const config = {
        region,
        endpoint: emulator.url,
        // The emulator accepts any signature; fixed keys keep the user's real credentials out of it.
        credentials: { accessKeyId: "appstreamctl-local", secretAccessKey: "appstreamctl-local" },
        requestHandler: REQUEST_HANDLER,
      };
      client = new AppStreamClient({ ...config, retryStrategy: retryStrategy(maxAttempts) });
      tagging = new ResourceGroupsTaggingAPIClient({ ...config, retryStrategy: retryStrategy(maxAttempts) });
    } catch (err) {
      await emulator.close();
      throw err;
    }
    return {
      api: createApi(client, undefined, tagging), region, regionSource, endpoint: emulator.url, local: true, close: closer(client, tagging, emulator),
    };
  }

  const profile = nonEmpty(globals.profile) ?? nonEmpty(ctx.env.AWS_PROFILE);
  let resolved = fromValues;
  if (!resolved) {
    const region = await (deps.profileRegion ?? sdkProfileRegion)(profile);
    if (region) resolved = { region, source: "profile" };
  }
  if (!resolved) {
    const where = profile ? `for profile "${profile}" in the shared config file` : "in the default profile of the shared config file";
    throw new AppError(
      "aws.region",
      "No AWS Region: pass --region, set metadata.region in the manifest, set AWS_REGION or AWS_DEFAULT_REGION, " +
        `or configure a region ${where}.`,
      { source: "user" },
    );
  }
  const endpoint = resolveEndpoint(globals.endpointUrl, ctx.env);
  // The tagging client goes where the AppStream one goes (the emulator serves both on one port).
  const config = {
    region: resolved.region,
    ...(profile ? { profile } : {}),
    ...(endpoint ? { endpoint: endpoint.url } : {}),
    requestHandler: REQUEST_HANDLER,
  };
  const client = new AppStreamClient({ ...config, retryStrategy: retryStrategy(maxAttempts) });
  const tagging = new ResourceGroupsTaggingAPIClient({ ...config, retryStrategy: retryStrategy(maxAttempts) });
  const conn: Connection = {
    api: createApi(client, undefined, tagging),
    region: resolved.region,
    regionSource: resolved.source,
    local: false,
    close: closer(client, tagging),
  };
  if (endpoint) conn.endpoint = endpoint.url;
  return conn;
}
