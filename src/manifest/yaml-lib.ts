/**
 * The `yaml` library, loaded on first use. It is the positional parser (positions for diagnostics), the
 * comment-keeping writer (drift --write, export) and the YAML output format; a clean manifest is read by
 * the quick parser alone, so most runs never need it, and loading it costs tens of milliseconds at every
 * start.
 */
import { createRequire } from "node:module";

type YamlLib = typeof import("yaml");

let lib: YamlLib | undefined;

export function yamlLib(): YamlLib {
  lib ??= createRequire(import.meta.url)("yaml") as YamlLib;
  return lib;
}
