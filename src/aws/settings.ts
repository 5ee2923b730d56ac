/**
 * The AWS settings beyond region and endpoint that a user already has in their environment or profile,
 * resolved the way the AWS CLI and SDKs resolve them (environment first, then the profile): attempts
 * and retry mode, the CA bundle, and appstreamctl's per-attempt deadline. Each invalid value is an
 * `aws.config` error naming where it came from, before anything is sent.
 */
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { AdaptiveRetryStrategy, StandardRetryStrategy } from "@smithy/core/retry";
import { AppError } from "../core/errors.js";
import { Pacer } from "./pacer.js";
import type { Profile } from "./shared-config.js";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "./transport.js";

type Env = Record<string, string | undefined>;

/** SDK attempts per call (the SDK's own default, reference §1.1). */
export const DEFAULT_MAX_ATTEMPTS = 3;

export type RetryMode = "standard" | "adaptive";

export interface RetrySettings {
  maxAttempts: number;
  /** Whether the user set the attempts (AWS_MAX_ATTEMPTS or max_attempts): then they bound each call wholly. */
  explicit: boolean;
  mode: RetryMode;
}

function setting(env: Env, envName: string, profile: Profile | undefined, key: string): { value: string; from: string } | undefined {
  const fromEnv = env[envName]?.trim();
  if (fromEnv) return { value: fromEnv, from: envName };
  const fromProfile = profile?.values[key]?.trim();
  if (fromProfile) return { value: fromProfile, from: `${key} of profile "${profile!.name}"` };
  return undefined;
}

/**
 * AWS_MAX_ATTEMPTS / `max_attempts` (a whole number ≥ 1) and AWS_RETRY_MODE / `retry_mode`
 * (`standard`, `adaptive`; `legacy`, which the JS SDK does not have, is taken as `standard`).
 * appstreamctl's default mode is adaptive with its own pacer (pacer.ts).
 */
export function retrySettings(env: Env, profile?: Profile): RetrySettings {
  const attempts = setting(env, "AWS_MAX_ATTEMPTS", profile, "max_attempts");
  let maxAttempts = DEFAULT_MAX_ATTEMPTS;
  if (attempts) {
    if (!/^\d+$/.test(attempts.value) || Number(attempts.value) < 1) {
      throw new AppError("aws.config", `${attempts.from} must be a whole number ≥ 1, not ${JSON.stringify(attempts.value)}`, { source: "user" });
    }
    maxAttempts = Number(attempts.value);
  }
  const modeSetting = setting(env, "AWS_RETRY_MODE", profile, "retry_mode");
  let mode: RetryMode = "adaptive";
  if (modeSetting) {
    const v = modeSetting.value.toLowerCase();
    if (v !== "standard" && v !== "adaptive" && v !== "legacy") {
      throw new AppError("aws.config", `${modeSetting.from} must be standard, adaptive or legacy, not ${JSON.stringify(modeSetting.value)}`, { source: "user" });
    }
    mode = v === "adaptive" ? "adaptive" : "standard";
  }
  return { maxAttempts, explicit: attempts !== undefined, mode };
}

/**
 * The SDK retry strategy for the settings. Adaptive uses appstreamctl's pacer as its rate limiter:
 * AppStream publishes no request rates (reference §16), and a plan's parallel reads must slow down to
 * whatever the account is allowed as soon as the service says so. One per client.
 */
export function retryStrategy(s: RetrySettings): AdaptiveRetryStrategy | StandardRetryStrategy {
  return s.mode === "adaptive" ? new AdaptiveRetryStrategy(s.maxAttempts, { rateLimiter: new Pacer() }) : new StandardRetryStrategy(s.maxAttempts);
}

/**
 * The per-attempt deadline in ms: `--request-timeout` seconds, else APPSTREAMCTL_REQUEST_TIMEOUT seconds,
 * else {@link DEFAULT_REQUEST_TIMEOUT_MS}. Fractions are allowed (tests use a fraction of a second).
 */
export function requestTimeoutMs(flagSeconds: number | undefined, env: Env): number {
  if (flagSeconds !== undefined) {
    if (!Number.isFinite(flagSeconds) || flagSeconds <= 0) throw new AppError("cli.usage", "--request-timeout must be a number of seconds > 0", { source: "user" });
    return Math.ceil(flagSeconds * 1000);
  }
  const raw = env.APPSTREAMCTL_REQUEST_TIMEOUT?.trim();
  if (!raw) return DEFAULT_REQUEST_TIMEOUT_MS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new AppError("aws.config", `APPSTREAMCTL_REQUEST_TIMEOUT must be a number of seconds > 0, not ${JSON.stringify(raw)}`, { source: "user" });
  }
  return Math.ceil(n * 1000);
}

/**
 * The trusted CAs when AWS_CA_BUNDLE / `ca_bundle` names a PEM file: its certificates added to Node's
 * own roots (a TLS-inspecting proxy's root must be trusted without distrusting the public ones).
 * Undefined when neither is set.
 */
export function caBundle(env: Env, profile?: Profile): string[] | undefined {
  const s = setting(env, "AWS_CA_BUNDLE", profile, "ca_bundle");
  if (!s) return undefined;
  let text: string;
  try {
    text = readFileSync(s.value, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new AppError("aws.config", `${s.from} names ${s.value}, which cannot be read (${why})`, { source: "user" });
  }
  const certs = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certs.length === 0) throw new AppError("aws.config", `${s.from} names ${s.value}, which holds no PEM certificate`, { source: "user" });
  return [...rootCertificates, ...certs];
}

/**
 * AWS Region names: lower-case partition-style words and a number (us-east-1, us-gov-west-1,
 * cn-northwest-1, eusc-de-east-1). Anything else would only fail later as an unresolvable host.
 */
const REGION_NAME = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/** Fails with `aws.region` when `region` is not a Region name. */
export function checkRegionName(region: string, from: string): void {
  if (!REGION_NAME.test(region)) {
    throw new AppError("aws.region", `${from} ${JSON.stringify(region)} is not an AWS Region name (like us-east-1 or eu-central-1)`, { source: "user" });
  }
}
