/**
 * The shapes the manifest loader produces: the merged manifest as plain data, where each value came
 * from, and which values are secrets. Everything downstream (plan, apply, drift) starts from a
 * `LoadedManifest`.
 */
import type { Diagnostic, SourceLocation } from "../core/errors.js";
import type { ManifestKey } from "../kinds/contract.js";
import type { AppBlockSpec } from "../kinds/app-block.js";
import type { AppBlockBuilderSpec } from "../kinds/app-block-builder.js";
import type { ApplicationSpec } from "../kinds/application.js";
import type { DirectoryConfigSpec } from "../kinds/directory-config.js";
import type { FleetSpec } from "../kinds/fleet.js";
import type { ImageBuilderSpec } from "../kinds/image-builder.js";
import type { ImageSpec } from "../kinds/image.js";
import type { StackSpec } from "../kinds/stack.js";
import type { UserGroupSpec } from "../kinds/user-group.js";
import type { UserSpec } from "../kinds/user.js";

/** A plain JSON value as YAML parsing produces it (no dates, no binary: the core schema). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object (a YAML mapping). */
export type JsonObject = { [key: string]: JsonValue };

/** Sets an own key. defineProperty, not assignment: a key named `__proto__` must stay a plain key. */
export function setKey(o: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One resource entry as written in the manifest, before any kind-specific typing. */
export type ManifestEntry = Record<string, unknown>;

/** Names that exist outside the manifest, so that references to them are not errors. */
export interface ExternalNames {
  fleets?: string[];
  stacks?: string[];
  directoryConfigs?: string[];
  images?: string[];
}

/**
 * The merged, interpolated manifest, typed by the kinds' spec types. The types hold only when the load
 * reported no error: callers check `diagnostics` first.
 */
export interface Manifest {
  apiVersion: string;
  metadata: { name: string; region?: string; userPool?: "shared" | "exclusive"; lock?: { dynamodbTable: string; region?: string } };
  defaults?: { tags?: Record<string, string> };
  external?: ExternalNames;
  directoryConfigs: DirectoryConfigSpec[];
  images: ImageSpec[];
  imageBuilders: ImageBuilderSpec[];
  appBlocks: AppBlockSpec[];
  fleets: FleetSpec[];
  stacks: StackSpec[];
  users: UserSpec[];
  userGroups: UserGroupSpec[];
  appBlockBuilders: AppBlockBuilderSpec[];
  applications: ApplicationSpec[];
  /** The account's usage report subscription: `none` deletes it; absent, it is left alone. */
  usageReports?: { schedule: string } | "none";
}

/** The manifest keys that hold resource lists, in dependency-friendly order. */
export const RESOURCE_KEYS: readonly Exclude<ManifestKey, "usageReports">[] = [
  "directoryConfigs",
  "images",
  "imageBuilders",
  "appBlocks",
  "fleets",
  "stacks",
  "users",
  "userGroups",
  "appBlockBuilders",
  "applications",
];

/**
 * Where each JSON pointer of the merged manifest was written: `values` holds the position of the value
 * itself, `keys` the position of the mapping key that introduced it (absent for sequence items and the
 * document root). Pointers use RFC 6901 escaping.
 */
export interface SourceMap {
  values: PositionLookup;
  keys: PositionLookup;
}

/** A position by JSON pointer. Lookups may parse the files again the first time (analyze.ts). */
export interface PositionLookup {
  get(pointer: string): SourceLocation | undefined;
}

/** The result of `loadManifest`: never thrown, always returned, even when nothing could be read. */
export interface LoadedManifest {
  /** The merged manifest with `${env:…}` resolved. Meaningful only when `diagnostics` has no error. */
  manifest: Manifest;
  /** Pointer → position, for every value and key of the merged manifest. */
  sources: SourceMap;
  /** Every problem found, sorted by file order, line and column. */
  diagnostics: Diagnostic[];
  /** Pointers whose values are secrets: never print, log or save them. */
  sensitive: ReadonlySet<string>;
  /** Pointers whose values were (partly) taken from the environment by `${env:NAME}`. */
  fromEnv: ReadonlySet<string>;
  /** Secrets whose `${env:…}` variables are unset (pointer → variable names): only apply may need them. */
  unsetSecrets: ReadonlyMap<string, readonly string[]>;
  /** The files read, in merge order, as shown in diagnostics. */
  files: readonly string[];
  /**
   * The text of each file read, with literal secrets masked, for showing source lines next to
   * diagnostics.
   */
  displayText: ReadonlyMap<string, string>;
}

/**
 * The noun of a manifest key, as prose says it: `appBlockBuilders` → "app block builder" (one) or
 * "app block builders" (several). Every key is a plural of camelCase words, so no table is needed.
 */
export function keyNoun(key: ManifestKey, count: number): string {
  const plural = key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
  return count === 1 ? plural.replace(/s$/, "") : plural;
}
