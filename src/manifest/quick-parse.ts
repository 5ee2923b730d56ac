/**
 * The fast way to read a manifest file: values only, no positions. js-yaml reads a large roster about ten
 * times faster than the `yaml` document model (and without holding a node per value), but it keeps no
 * offsets. So it serves only files it reads exactly as `parse.ts` would; anything else — syntax errors,
 * duplicate keys, custom tags, complex keys (js-yaml turns `[a]` into the key "a"), anchors (js-yaml
 * shares one object between an anchor and its aliases, and the positional parser bounds their expansion), a file nested
 * deeper than the limit, keep-chomping block scalars, tabs in indentation, `%` directives (`%YAML 1.1` changes the schema
 * in `yaml` but not here), a document that is not a mapping — returns undefined and the caller takes
 * the positional parser, which reports the problem where it is. Positions for a quickly read manifest
 * are computed by the positional parser when first asked for.
 */
import { loadAll, type State } from "js-yaml";
import { YAML12_CORE } from "./core-schema.js";
import { tooDeepAt } from "./limits.js";
import type { JsonObject } from "./types.js";

/**
 * Where a complex key could start: an explicit `? ` key, or a flow collection followed by `:`. Also true
 * of some quoted text and plain scalars, which then merely take the slower path.
 */
const MAY_HAVE_COMPLEX_KEY = /(?:^|[\s[{,])\?(?:\s|$)|[\]}][ \t]*:/m;

/**
 * What js-yaml 4 reads differently from the `yaml` library: a block scalar that keeps its trailing line
 * breaks (`|+`, `>2+`; js-yaml adds one at the end of a file), and a tab where indentation goes (an error
 * for `yaml`, a blank line or content for js-yaml). Found by the seeded fuzz test in quick-parse.test.ts.
 */
const READ_DIFFERENTLY = /[|>][1-9]?\+|^ *\t/m;

/** The file's non-empty documents as plain mappings, or undefined when only `parseYamlFile` may read it. */
export function quickParse(text: string): JsonObject[] | undefined {
  if (/^%/m.test(text) || MAY_HAVE_COMPLEX_KEY.test(text) || READ_DIFFERENTLY.test(text)) return undefined;
  // js-yaml recurses once per level; the positional parser reports a file nested too deep.
  if (tooDeepAt(text) !== undefined) return undefined;
  let docs: unknown[];
  let anchored = false;
  // An anchor is only ever written with `&`; without one in the text there is nothing to watch for. With
  // one, the parser's table of anchors (internal to js-yaml 4.1, which is pinned) says whether any was
  // defined; test/manifest/quick-parse.test.ts holds that.
  const listener = text.includes("&")
    ? (_event: string, state: State) => { anchored ||= hasKeys((state as State & { anchorMap: object }).anchorMap); }
    : undefined;
  try {
    // json: false makes duplicate keys an error rather than last-one-wins.
    docs = loadAll(text, undefined, { schema: YAML12_CORE, json: false, ...(listener ? { listener } : {}) });
  } catch {
    return undefined;
  }
  if (anchored) return undefined;
  const out: JsonObject[] = [];
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    // Below the document, YAML12_CORE can only produce plain mappings, sequences, strings, numbers,
    // booleans and null: any other tag fails to load.
    if (typeof doc !== "object" || Array.isArray(doc)) return undefined;
    out.push(doc as JsonObject);
  }
  return out;
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}
