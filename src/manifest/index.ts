/**
 * The manifest module: load `-f` files into one validated, interpolated manifest with positioned
 * diagnostics. Plan, apply and drift start from `loadManifest`.
 */
export { loadManifest, defaultChecks } from "./load.js";
export { analyzeManifest, type Checks, type SourceText } from "./analyze.js";
export { locate } from "./pointer.js";
export { isSecret } from "./secrets.js";
export { DEFAULT_MANIFEST } from "./files.js";
export type { LoadedManifest, Manifest, ManifestEntry, SourceMap, ExternalNames, JsonValue } from "./types.js";
export { keyNoun, RESOURCE_KEYS } from "./types.js";
