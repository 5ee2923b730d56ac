/**
 * `export`, the pure half: live resources → a v1 manifest that plans to no changes. Each
 * field goes through the kind's own schema (canonical form) and is left out when it equals the
 * field's `awsDefault`, so the file holds only what someone chose. Memberships and shares are written
 * inline (`stack.fleet`, `user.stacks`, `image.sharedWith`), resources are sorted by name, and
 * appstreamctl's own tags become `metadata.name` and `protect`, never tags.
 *
 * The directory password cannot be read back (reference §9), so it becomes an `${env:…}` placeholder
 * with a comment; it is write-only, so the round trip still plans to no changes once the variable is set.
 */
import { yamlLib } from "../manifest/yaml-lib.js";
import type { FieldDef } from "../kinds/contract.js";
import { LISTED_KINDS } from "../kinds/index.js";
import { associationsOf, type ExportFacts, type ListedKindDef } from "../kinds/kind.js";
import type { JsonSchema } from "../kinds/schema-dsl.js";
import type { KindName, LiveResource } from "../model/resource.js";
import { canonical } from "./canonical.js";
import { derivedByOwner } from "./parents.js";
import { AWS_TAG_PREFIX } from "./diff.js";
import { OWNER_TAG, PROTECT_TAG } from "./desired.js";
import { RESERVED_TAG_PREFIX } from "../kinds/common-rules.js";

export interface ExportInput {
  /** What was read: listed kinds with tags, and the memberships and shares of every stack and image. */
  live: readonly LiveResource[];
  region: string;
  /** `--set`: the manifest's set name; else the one set the resources already carry, else a default. */
  set?: string;
  /** `--kinds`: listed kinds to export (all when absent). */
  kinds?: ReadonlySet<KindName>;
  /** `--name`: only resources whose name matches. */
  name?: RegExp;
  /** The modeline's schema location. */
  schema: string;
  /** `--adopt`: the exported resources are tagged with the set now, so the first plan adds no tags. */
  adopt?: boolean;
}

export interface ExportResult {
  text: string;
  set: string;
  /** The exported resources (their live records), e.g. for `--adopt`. */
  resources: LiveResource[];
  /** `${env:NAME}` variables the manifest needs before it can be planned. */
  envVars: string[];
  /** Things the operator should know, for stderr. */
  notes: string[];
  /** Exported taggable resources without this set's ownership tag: plan adds it, `--adopt` adds it now. */
  untagged: string[];
}

/** The environment variable that holds the n-th exported directory password (1-based). */
export const passwordVar = (n: number): string => `APPSTREAM_DIRECTORY_PASSWORD_${n}`;

const COMPARED = new Set(["api", "state"]);

function isDefault(value: unknown, awsDefault: unknown, schema: JsonSchema): boolean {
  return awsDefault !== undefined && JSON.stringify(value) === JSON.stringify(canonical(awsDefault, schema));
}

/**
 * Live strings are literal text, but the manifest reads `${…}` as a reference: each `${` is written as
 * `$${` (a literal `${`; see manifest/env.ts), so that the export validates and plans the same value.
 */
function escapeLiterals(value: unknown): unknown {
  if (typeof value === "string") return value.split("${").join("$${");
  if (Array.isArray(value)) return value.map(escapeLiterals);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, escapeLiterals(v)]));
  }
  return value;
}

/** The manifest entry of one live resource of a listed kind (associations and tags added by the caller). */
function entryOf(kind: ListedKindDef, l: LiveResource): Record<string, unknown> {
  const spec = kind.export?.entry ? kind.export.entry({ ...l.spec }) : { ...l.spec };
  const entry: Record<string, unknown> = { [kind.identity]: l.name };
  for (const [field, def] of Object.entries(kind.fields) as [string, FieldDef<unknown>][]) {
    if (!COMPARED.has(def.role) || field === kind.identity) continue;
    const value = canonical(spec[field], def.schema);
    if (value === undefined || isDefault(value, def.awsDefault, def.schema)) continue;
    entry[field] = value;
  }
  return entry;
}

/** The associations of a listed resource, as the manifest field that declares them. */
function inline(kind: ListedKindDef, name: string, live: readonly LiveResource[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const assoc of associationsOf(kind)) {
    const value = assoc.exported ? assoc.exported(name, live) : assoc.live(name, live);
    if (value === undefined || (Array.isArray(value) && !value.length)) continue;
    out[assoc.field] = value;
  }
  return out;
}

/** The set name: `--set`, else the one set every owned resource carries, else a Region-based default. */
function chooseSet(wanted: string | undefined, resources: readonly LiveResource[], region: string): string {
  if (wanted) return wanted;
  const sets = new Set(resources.map((r) => r.tags?.[OWNER_TAG]).filter((s): s is string => s !== undefined));
  return sets.size === 1 ? [...sets][0]! : `appstream-${region}`;
}

/**
 * Names entries refer to that the export leaves out (`--kinds`, `--name`), listed under `external`
 * so that the manifest validates and plan treats them as managed elsewhere.
 */
function externalRefs(doc: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const kind of LISTED_KINDS.filter((k) => !k.singleton)) {
    for (const entry of (doc[kind.key] as Record<string, unknown>[] | undefined) ?? []) {
      for (const ref of kind.refs) {
        const have = new Set(((doc[ref.target] as Record<string, unknown>[] | undefined) ?? []).map((e) => String(e[LISTED_KINDS.find((k) => k.key === ref.target)!.identity])));
        for (const n of ref.names(entry)) if (!have.has(n)) (out[ref.target] ??= new Set()).add(n);
      }
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
}

/** Builds the manifest text. Pure. */
export function exportManifest(input: ExportInput): ExportResult {
  const notes: string[] = [];
  const envVars: string[] = [];
  const picked = (kind: ListedKindDef) => (!input.kinds || input.kinds.has(kind.kind));
  const resources = LISTED_KINDS.filter(picked).flatMap((kind) =>
    input.live
      .filter((l) => l.kind === kind.kind && (!input.name || input.name.test(l.name)))
      .sort((a, b) => a.name.localeCompare(b.name)));
  const set = chooseSet(input.set, resources, input.region);
  const doc: Record<string, unknown> = { apiVersion: "appstreamctl/v1", metadata: { name: set, region: input.region } };
  // `external` goes right after metadata; it is filled once every entry is known.
  doc.external = undefined;
  const secretPaths: (string | number)[][] = [];
  const secretNotes = new Map<number, NonNullable<ExportFacts["secret"]>>();
  const byOwner = derivedByOwner(input.live);
  for (const kind of LISTED_KINDS.filter(picked)) {
    const entries = resources.filter((r) => r.kind === kind.kind).map((l, i) => {
      const merged = { ...entryOf(kind, l), ...inline(kind, l.name, byOwner.get(l.address) ?? []) };
      const entry = escapeLiterals(kind.export?.finish ? kind.export.finish(merged) : merged) as Record<string, unknown>;
      const secret = kind.export?.secret;
      const [field, member] = secret?.path ?? [];
      if (secret && field && member && entry[field]) {
        const n = envVars.length + 1;
        envVars.push(passwordVar(n));
        entry[field] = { ...(entry[field] as object), [member]: `\${env:${passwordVar(n)}}` };
        secretPaths.push([kind.key, i, field, member]);
        secretNotes.set(secretPaths.length - 1, secret);
      }
      if (kind.taggable) {
        const tags = Object.fromEntries(Object.entries(l.tags ?? {}).filter(([k]) => !k.startsWith(RESERVED_TAG_PREFIX) && !k.startsWith(AWS_TAG_PREFIX)).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, escapeLiterals(v)]));
        if (Object.keys(tags).length) entry.tags = tags;
        if (l.tags?.[PROTECT_TAG] === "true") entry.protect = true;
        const owner = l.tags?.[OWNER_TAG];
        if (owner && owner !== set) notes.push(`${l.address} carries ${OWNER_TAG}=${owner}; exported into set ${set}, whose plan refuses it until it is adopted (export --adopt, or plan/apply --adopt ${l.address})`);
      }
      return entry;
    });
    // A singleton's one entry is the top-level object itself, its fixed name not written.
    if (entries.length && kind.singleton) doc[kind.key] = Object.fromEntries(Object.entries(entries[0]!).filter(([k]) => k !== kind.identity));
    else if (entries.length) doc[kind.key] = entries;
  }
  const external = externalRefs(doc);
  if (Object.keys(external).length) doc.external = external;
  else delete doc.external;
  const untagged = resources.filter((r) => LISTED_KINDS.find((k) => k.kind === r.kind)?.taggable && r.tags?.[OWNER_TAG] !== set).map((r) => r.address);
  // The header says what the first plan does: nothing, or only the ownership tag where it is missing.
  const verdict = untagged.length && !input.adopt
    ? `\`appstreamctl plan\` with this file adds the tag ${OWNER_TAG}=${set} to ${untagged.length} resource(s) that lack it (tags only; \`export --adopt\` tags them at export) and shows no other change.`
    : "`appstreamctl plan` with this file shows no changes.";
  const yaml = new (yamlLib().Document)(doc);
  yaml.commentBefore = ` yaml-language-server: $schema=${input.schema}\n Exported by appstreamctl from ${input.region}; ${verdict}`;
  secretPaths.forEach((path, i) => {
    const node = yaml.getIn(path, true);
    if (node && typeof node === "object" && !yamlLib().isMap(node) && !yamlLib().isSeq(node)) (node as { comment?: string }).comment = secretNotes.get(i)!.comment;
  });
  // One note per kind with secrets, naming its variables.
  for (const secret of new Set(secretNotes.values())) {
    notes.push(secret.note(envVars.filter((_, i) => secretNotes.get(i) === secret)));
  }
  return { text: yaml.toString({ lineWidth: 0 }), set, resources, envVars, notes, untagged };
}
