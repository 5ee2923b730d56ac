/**
 * The AWS shared config and credentials files, read for one profile the way the AWS CLI and SDKs read
 * them — but from `ctx.env` (HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) and for exactly the
 * profile appstreamctl chose. The SDK's own loaders look at the process's AWS_PROFILE for some settings
 * (endpoint_url, services) even when a client is given another profile, which would make
 * `AWS_PROFILE=a --profile b` mix two profiles; here `--profile` wins wholly.
 */
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { loadSharedConfigFiles } from "@smithy/core/config";
import { AppError } from "../core/errors.js";

type Env = Record<string, string | undefined>;

/** The settings of one profile, merged from the credentials file and (winning) the config file. */
export interface Profile {
  name: string;
  /** Whether the profile appears in either file. */
  exists: boolean;
  values: Record<string, string | undefined>;
  /** The `[services NAME]` section the profile names, keyed `service.setting` (e.g. `appstream.endpoint_url`). */
  services: Record<string, string | undefined>;
}

function home(env: Env): string {
  return env.HOME?.trim() || env.USERPROFILE?.trim() || homedir();
}

function expand(path: string, env: Env): string {
  if (path.startsWith("~/")) return join(home(env), path.slice(2));
  return isAbsolute(path) ? path : join(process.cwd(), path);
}

/** Reads `name` from the shared files that `env` points at; a missing file is an empty one. */
export async function loadProfile(name: string, env: Env): Promise<Profile> {
  const configFilepath = expand(env.AWS_CONFIG_FILE?.trim() || join(home(env), ".aws", "config"), env);
  const filepath = expand(env.AWS_SHARED_CREDENTIALS_FILE?.trim() || join(home(env), ".aws", "credentials"), env);
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ configFilepath, filepath, ignoreCache: true });
  const fromConfig = configFile[name];
  const fromCredentials = credentialsFile[name];
  const values = { ...fromCredentials, ...fromConfig };
  const profile: Profile = { name, exists: fromConfig !== undefined || fromCredentials !== undefined, values, services: {} };
  const servicesName = values.services?.trim();
  if (servicesName) {
    const section = configFile[`services.${servicesName}`];
    if (!section) {
      throw new AppError("aws.config", `profile "${name}" names services section "${servicesName}", which is not in ${configFilepath}`, { source: "user" });
    }
    profile.services = { ...section };
  }
  return profile;
}

/** The profile's `endpoint_url` for `service` (its services section first), or undefined. */
export function profileEndpoint(profile: Profile, service: string): string | undefined {
  const key = `${service.toLowerCase().replace(/ /g, "_")}.endpoint_url`;
  return profile.services[key]?.trim() || profile.values.endpoint_url?.trim() || undefined;
}

/** A boolean setting: `true`/`false` in any case; anything else is undefined. */
export function profileFlag(profile: Profile, key: string): boolean | undefined {
  const v = profile.values[key]?.trim().toLowerCase();
  return v === "true" ? true : v === "false" ? false : undefined;
}
