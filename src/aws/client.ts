/**
 * Building the AppStream client from the global options (DESIGN.md §2): region, profile, endpoint,
 * attempts and retry mode, proxy, CA bundle and the per-attempt deadline — or, with `--local`, the
 * embedded emulator on a free port with its state on disk. The environment and the shared config
 * files are read through `ctx.env` only, so every precedence rule is testable in-process.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AppStreamClient, type AppStreamClientConfig } from "@aws-sdk/client-appstream";
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AppError } from "../core/errors.js";
import type { Io } from "../shared/io.js";
import { createApi, type AppStreamApi, type CallCounter, type Sender } from "./api.js";
import { proxyRoute, type ProxyRoute } from "./proxy.js";
import { caBundle, checkRegionName, requestTimeoutMs, retrySettings, retryStrategy, type RetrySettings } from "./settings.js";
import { loadProfile, profileEndpoint, profileFlag, type Profile } from "./shared-config.js";
import { DeadlineHandler } from "./transport.js";

export { DEFAULT_MAX_ATTEMPTS } from "./settings.js";

/** Where the region came from; shown with `-v` and in the plan's target. */
export type RegionSource = "flag" | "manifest" | "AWS_REGION" | "AWS_DEFAULT_REGION" | "profile" | "local-default";

/** Where the endpoint came from: the flag, a variable (e.g. `AWS_ENDPOINT_URL_APPSTREAM`), the profile, or `--local`. */
export type EndpointSource = "flag" | `AWS_ENDPOINT_URL${string}` | "profile" | "local";

type Env = Io["env"];

/** The region `--local` uses when nothing names one. Real AWS never gets a default. */
export const LOCAL_DEFAULT_REGION = "us-east-1";

/** The state file of `--local`, relative to the working directory (DESIGN.md §2). */
export const LOCAL_STATE_FILE = join(".appstreamctl", "local-state.json");

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/**
 * The region from the values appstreamctl itself owns, in precedence order: `--region`, the manifest's
 * `metadata.region`, `AWS_REGION`, `AWS_DEFAULT_REGION`. Undefined when none is set; the profile is the
 * last step and needs the shared config ({@link connect}). A `--region` that disagrees with
 * `metadata.region` is an `aws.region` error unless `force` (`--force-region`). AWS_DEFAULT_REGION is the AWS CLI's variable, which the
 * JS SDK does not read, so it has to be honoured here.
 */
export function resolveRegion(input: { flag?: string; manifest?: string; env: Env; force?: boolean }): { region: string; source: RegionSource } | undefined {
  const flag = nonEmpty(input.flag);
  const manifest = nonEmpty(input.manifest);
  // The manifest names the estate's region; a different --region is more likely a slip (another
  // terminal's habit, a copied command) than an intent, and would plan the estate into the wrong region.
  if (flag && manifest && flag !== manifest && !input.force) {
    throw new AppError(
      "aws.region",
      `--region ${flag} disagrees with metadata.region ${manifest} of the manifest; drop --region, fix metadata.region, or pass --force-region to use ${flag}`,
      { source: "user" },
    );
  }
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
 * The endpoint override: `--endpoint-url`, then `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`,
 * then the profile's services section and its `endpoint_url` (as the SDKs resolve them); the variables
 * and the profile are skipped when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
 * `ignore_configured_endpoint_urls`) is true. Undefined means the SDK's regional endpoint. A value that
 * is not an http(s) URL fails with `aws.endpoint`.
 */
export function resolveEndpoint(
  flag: string | undefined,
  env: Env,
  profile?: Profile,
  service = "AppStream",
): { url: string; source: EndpointSource } | undefined {
  const envIgnore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase();
  const ignore = envIgnore === "true" || (envIgnore === undefined && profile !== undefined && profileFlag(profile, "ignore_configured_endpoint_urls") === true);
  const serviceVar = `AWS_ENDPOINT_URL_${service.toUpperCase().replace(/ /g, "_")}` as const;
  const candidates: Array<[string | undefined, EndpointSource]> = [[flag, "flag"]];
  if (!ignore) {
    candidates.push([env[serviceVar], serviceVar], [env.AWS_ENDPOINT_URL, "AWS_ENDPOINT_URL"]);
    if (profile) candidates.push([profileEndpoint(profile, service), "profile"]);
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
      const from = source === "flag" ? "--endpoint-url" : source === "profile" ? `endpoint_url of profile "${profile?.name ?? ""}"` : source;
      throw new AppError("aws.endpoint", `${from} is not an http(s) URL: ${JSON.stringify(url)}`, { source: "user" });
    }
    return { url, source };
  }
  return undefined;
}

/** The global flags that choose where and how to connect (DESIGN.md §2); the CLI's options extend them. */
export interface ConnectFlags {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  /** `--force-region`: a `--region` that disagrees with `metadata.region` wins instead of failing. */
  forceRegion?: boolean;
  /** `--request-timeout`: the deadline of one HTTP attempt, in seconds. */
  requestTimeout?: number;
  local: boolean;
}

/** What {@link connect} needs from the command line and the manifest. */
export interface ConnectOptions {
  globals: ConnectFlags;
  /** The manifest's `metadata.region`, if it has one. */
  manifestRegion?: string;
  /** SDK attempts per call; default: AWS_MAX_ATTEMPTS, the profile's max_attempts, else 3. */
  maxAttempts?: number;
  /** `--local` only: the emulator's transition time scale (0 = immediate); default the emulator's. */
  localTimeScale?: number;
}

/** SDK client options that another AWS service's client can be built from (STS, DynamoDB). */
export type SdkClientOptions = Pick<
  AppStreamClientConfig,
  "region" | "endpoint" | "profile" | "credentials" | "retryStrategy" | "requestHandler" | "ignoreConfiguredEndpointUrls"
>;

/** A connected api and what it is connected to. */
export interface Connection {
  api: AppStreamApi;
  region: string;
  regionSource: RegionSource;
  /** The endpoint override (the emulator's URL with `--local`); undefined for the SDK's regional endpoint. */
  endpoint?: string;
  endpointSource?: EndpointSource;
  /** The profile in use (`--profile`, else AWS_PROFILE); undefined for the default chain or `--local`. */
  profile?: string;
  local: boolean;
  /** The per-attempt deadline in ms. */
  requestTimeoutMs: number;
  retry: RetrySettings;
  /** An api for another region on the same endpoint, credentials and transport (CopyImage); closed with the connection. */
  regionalApi(region: string): AppStreamApi;
  /**
   * Options for a client of another service (`serviceId` as the SDK names it, e.g. "STS", "DynamoDB"):
   * same region, credentials, proxy, CA bundle, deadline and retries; the endpoint resolved for that
   * service (`--endpoint-url` and `--local` apply to every service). Each call builds a fresh handler.
   */
  clientOptions(serviceId: string): SdkClientOptions;
  /** The account the credentials belong to (STS GetCallerIdentity, asked once). */
  account(): Promise<string>;
  /** Releases the clients' sockets; with `--local` also stops the emulator and flushes its state file. */
  close(): Promise<void>;
}

/** The slice of the emulator that `--local` uses (src/emulator/index.ts `startEmulator`). */
export interface LocalEmulator {
  url: string;
  close(): Promise<void>;
}

/** Replaceable effects of {@link connect}; tests substitute them, production uses the defaults. */
export interface ConnectDeps {
  /** Reads a profile from the shared files; default: {@link loadProfile} on `ctx.env`. */
  loadProfile?: (name: string, env: Env) => Promise<Profile>;
  /** Starts the emulator for `--local`; default: the embedded one, loaded only when needed. */
  startEmulator?: (opts: { port: number; stateFile: string; timeScale?: number }) => Promise<LocalEmulator>;
}

async function embeddedEmulator(opts: { port: number; stateFile: string; timeScale?: number }): Promise<LocalEmulator> {
  // Loaded lazily so that commands that never talk to AppStream do not load the emulator.
  const { startEmulator } = await import("../emulator/index.js");
  return startEmulator(opts.timeScale === undefined ? { port: opts.port, stateFile: opts.stateFile } : opts);
}

/** The emulator accepts any signature; fixed keys keep the user's real credentials out of it. */
const LOCAL_CREDENTIALS = { accessKeyId: "appstreamctl-local", secretAccessKey: "appstreamctl-local" };

interface Transport {
  timeoutMs: number;
  retry: RetrySettings;
  proxy?: ProxyRoute;
  ca?: string[];
  profile?: string;
  local: boolean;
}

function baseOptions(t: Transport, region: string, endpoint: string | undefined): SdkClientOptions {
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(t.local ? { credentials: LOCAL_CREDENTIALS } : t.profile ? { profile: t.profile } : {}),
    retryStrategy: retryStrategy(t.retry),
    requestHandler: new DeadlineHandler({
      timeoutMs: t.timeoutMs,
      ...(t.proxy ? { proxy: t.proxy } : {}),
      ...(t.ca ? { ca: t.ca } : {}),
    }) as unknown as SdkClientOptions["requestHandler"],
    // appstreamctl resolved the endpoint itself, from the profile it chose; the SDK's own lookup reads
    // the process's AWS_PROFILE instead.
    ignoreConfiguredEndpointUrls: true,
  };
}

/**
 * Builds the api for a command. Real AWS: region by flag → manifest → AWS_REGION → AWS_DEFAULT_REGION →
 * the profile (`--profile`, else AWS_PROFILE), failing with `aws.region` when none or when it is not a
 * Region name; endpoint by {@link resolveEndpoint}; attempts, retry mode and CA bundle from the
 * environment, then the profile; HTTPS_PROXY/HTTP_PROXY/NO_PROXY; one deadline per attempt. `--local`:
 * the embedded emulator on 127.0.0.1 with a free port and its state in
 * `<cwd>/.appstreamctl/local-state.json`, static fake credentials, no proxy, and the same region chain
 * without the profile, defaulting to us-east-1.
 */
export async function connect(ctx: Pick<Io, "env" | "cwd">, opts: ConnectOptions, deps: ConnectDeps = {}): Promise<Connection> {
  const { globals } = opts;
  const env = ctx.env;
  const fromValues = resolveRegion({ flag: globals.region, manifest: opts.manifestRegion, env, force: globals.forceRegion === true });
  const timeoutMs = requestTimeoutMs(globals.requestTimeout, env);

  if (globals.local) {
    if (nonEmpty(globals.endpointUrl)) {
      throw new AppError("cli.usage", "--local and --endpoint-url cannot be used together: --local starts its own endpoint", {
        source: "user",
      });
    }
    const region = fromValues?.region ?? LOCAL_DEFAULT_REGION;
    checkRegionName(region, regionLabel(fromValues?.source ?? "local-default"));
    const retry = retrySettings(env);
    if (opts.maxAttempts !== undefined) retry.maxAttempts = opts.maxAttempts;
    const transport: Transport = { timeoutMs, retry, local: true };
    const stateFile = join(ctx.cwd, LOCAL_STATE_FILE);
    mkdirSync(join(ctx.cwd, ".appstreamctl"), { recursive: true });
    const start = deps.startEmulator ?? embeddedEmulator;
    const emulator = await start(
      opts.localTimeScale === undefined ? { port: 0, stateFile } : { port: 0, stateFile, timeScale: opts.localTimeScale },
    );
    try {
      return assemble(transport, { region, regionSource: fromValues?.source ?? "local-default", endpoint: { url: emulator.url, source: "local" } }, () => emulator.url, emulator);
    } catch (err) {
      await emulator.close();
      throw err;
    }
  }

  const profileName = nonEmpty(globals.profile) ?? nonEmpty(env.AWS_PROFILE);
  const profile = await (deps.loadProfile ?? loadProfile)(profileName ?? "default", env);
  let resolved = fromValues;
  const fromProfile = nonEmpty(profile.values.region);
  if (!resolved && fromProfile) resolved = { region: fromProfile, source: "profile" };
  if (!resolved) {
    const where = profileName ? `for profile "${profileName}" in the shared config file` : "in the default profile of the shared config file";
    throw new AppError(
      "aws.region",
      "No AWS Region: pass --region, set metadata.region in the manifest, set AWS_REGION or AWS_DEFAULT_REGION, " +
        `or configure a region ${where}.`,
      { source: "user" },
    );
  }
  checkRegionName(resolved.region, regionLabel(resolved.source, profile.name));
  const retry = retrySettings(env, profile);
  if (opts.maxAttempts !== undefined) retry.maxAttempts = opts.maxAttempts;
  const proxy = proxyRoute(env);
  const ca = caBundle(env, profile);
  const transport: Transport = { timeoutMs, retry, local: false, ...(proxy ? { proxy } : {}), ...(ca ? { ca } : {}), ...(profileName ? { profile: profileName } : {}) };
  const endpoint = resolveEndpoint(globals.endpointUrl, env, profile);
  return assemble(
    transport,
    { region: resolved.region, regionSource: resolved.source, ...(endpoint ? { endpoint } : {}) },
    (service) => (endpoint?.source === "flag" ? endpoint.url : resolveEndpoint(undefined, env, profile, service)?.url),
  );
}

function regionLabel(source: RegionSource, profile?: string): string {
  switch (source) {
    case "flag":
      return "--region";
    case "manifest":
      return "metadata.region";
    case "profile":
      return `region of profile "${profile ?? ""}"`;
    case "local-default":
      return "the default region";
    default:
      return source;
  }
}

/** The tagging API's service id, as its `AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API` variable spells it. */
const TAGGING_SERVICE = "Resource Groups Tagging API";
/** Service ids of Application Auto Scaling and EventBridge Scheduler, for their endpoint variables. */
const AUTOSCALING_SERVICE = "Application Auto Scaling";
const SCHEDULER_SERVICE = "Scheduler";

function assemble(
  t: Transport,
  target: { region: string; regionSource: RegionSource; endpoint?: { url: string; source: EndpointSource } },
  endpointFor: (service: string) => string | undefined,
  emulator?: LocalEmulator,
): Connection {
  const clients: { destroy(): void }[] = [];
  const apiOptions = t.retry.explicit ? { attemptBudget: t.retry.maxAttempts } : {};
  const newApi = (region: string, counter?: CallCounter): AppStreamApi => {
    const client = new AppStreamClient(baseOptions(t, region, target.endpoint?.url));
    clients.push(client);
    // The other services' clients are made on first use (scaling and schedules only for manifests that
    // declare them). Each goes where AppStream goes unless its own endpoint variable says otherwise (the
    // emulator serves them all on one port): tags are read in pages from the tagging API (GetResources).
    const lazy = (make: () => Sender & { destroy(): void }): Sender => {
      let made: (Sender & { destroy(): void }) | undefined;
      return {
        send: (command, options) => {
          if (!made) clients.push((made = make()));
          return made.send(command, options);
        },
      };
    };
    const options = (service: string) => baseOptions(t, region, endpointFor(service) ?? target.endpoint?.url);
    return createApi(client, counter, {
      ...apiOptions,
      tagging: lazy(() => new ResourceGroupsTaggingAPIClient(options(TAGGING_SERVICE)) as never),
      autoscaling: lazy(() => new ApplicationAutoScalingClient(options(AUTOSCALING_SERVICE)) as never),
      scheduler: lazy(() => new SchedulerClient(options(SCHEDULER_SERVICE)) as never),
    });
  };
  const api = newApi(target.region);
  let closing: Promise<void> | undefined;
  let account: Promise<string> | undefined;
  const conn: Connection = {
    api,
    region: target.region,
    regionSource: target.regionSource,
    local: t.local,
    requestTimeoutMs: t.timeoutMs,
    retry: t.retry,
    regionalApi: (region) => newApi(region, api.counter),
    clientOptions: (service) => baseOptions(t, target.region, endpointFor(service)),
    account() {
      account ??= (async () => {
        const sts = new STSClient(baseOptions(t, target.region, endpointFor("STS")));
        clients.push(sts);
        const who = await sts.send(new GetCallerIdentityCommand({}));
        if (!who.Account) throw new AppError("aws.error", "STS GetCallerIdentity returned no account", { source: "aws" });
        return who.Account;
      })();
      return account;
    },
    close: () =>
      (closing ??= (async () => {
        // Sockets first, so that the server's close does not wait on kept-alive connections.
        for (const c of clients) c.destroy();
        await emulator?.close();
      })()),
  };
  if (target.endpoint) {
    conn.endpoint = target.endpoint.url;
    conn.endpointSource = target.endpoint.source;
  }
  if (t.profile) conn.profile = t.profile;
  return conn;
}
