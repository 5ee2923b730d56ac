/**
 * Drift: what changed outside appstreamctl, as data. Three categories, like driftctl:
 * `changed` (field by field, manifest value → live value), `missing` (declared but gone) and
 * `unmanaged` (in the Region, declared by no loaded manifest). Fields are compared exactly as `plan`
 * compares them (the kinds' projections, AWS defaults, sets without order, write-only secrets skipped),
 * so there is no drift that plan would not act on, and no false drift plan would not show.
 *
 * Memberships and shares are reported on the field that declares them (`Stack.fleet`, `User.stacks`,
 * `Image.sharedWith`), because that is what an operator edits — and what `drift --write` writes.
 */
import type { DesiredResource, KindName, LiveResource, ManifestDoc } from "../model/resource.js";
import { declaredNone, DERIVED_KINDS, LISTED_KINDS, kindNamed, SINGLETON_NONE, singletonKind } from "../kinds/index.js";
import { associationsOf, isDerived, unmanagedNote } from "../kinds/kind.js";
import { canonical } from "./canonical.js";
import { desiredResources, OWNER_TAG } from "./desired.js";
import { compareFields, compareTags, coveredBy, withoutIgnored } from "./diff.js";
import { withLiveDigest, withWritten } from "./written.js";
import { DERIVED, derivedByOwner } from "./parents.js";
import type { FieldDiff } from "./plan-types.js";

export const DRIFT_FORMAT_VERSION = 1;

export type DriftCategory = "changed" | "missing" | "unmanaged";

/**
 * One drifted resource. In `diff`, `before` is the manifest's value and `after` the live one. A singleton
 * the manifest declares (`usageReports: {…}`) but the Region lacks, or declares `none` but the Region has,
 * carries one diff on its top-level key: the object ↔ `none`, what `drift --write` writes.
 */
export interface DriftItem {
  category: DriftCategory;
  address: string;
  kind: KindName;
  name: string;
  diff: FieldDiff[];
  /** The service's state (RUNNING, STOPPED, …) when the kind has one. */
  state?: string;
  /** FleetErrors / ImageBuilderErrors / ImageErrors the service reports for the resource. */
  errors?: { code: string; message: string }[];
  /** Unmanaged resources: the `appstreamctl:set` tag they carry, if any (another manifest owns them). */
  owner?: string;
  /** JSON pointer of the declaring manifest entry (changed and missing). */
  pointer?: string;
  note?: string;
}

/** Something drift says that is not drift: a difference deliberately left out of the comparison. */
export interface DriftNote {
  address: string;
  /** JSON pointer of the declaring manifest entry. */
  pointer?: string;
  /** The field the note is about (`.appstreamignore` and `ignoreChanges` on it silence the note). */
  path: string;
  note: string;
}

export interface DriftReport {
  formatVersion: typeof DRIFT_FORMAT_VERSION;
  createdAt: string;
  target: { region: string; endpoint?: string };
  set: string;
  summary: { changed: number; missing: number; unmanaged: number; ignored: number };
  changed: DriftItem[];
  missing: DriftItem[];
  unmanaged: DriftItem[];
  /** Never counted as drift: the exit code and the summary ignore them. */
  notes: DriftNote[];
}

export interface DriftInput {
  /** The merged manifest with image selectors resolved. */
  manifest: ManifestDoc;
  /** Every live resource of the Region: listed kinds with their tags, memberships and shares of all owners. */
  live: readonly LiveResource[];
  region: string;
  endpoint?: string;
  createdAt: string;
  /** `.appstreamignore`: a whole resource (no field) or one field path of it. */
  ignored?: (address: string, field?: string) => boolean;
}

/** Whether a report has anything to say (exit code 2). */
export function hasDrift(r: DriftReport): boolean {
  return r.changed.length + r.missing.length + r.unmanaged.length > 0;
}

/** Drift direction: `compareFields`/`compareTags` return live → desired (the plan's way); flip it. */
function flip(d: FieldDiff): FieldDiff {
  const { before, after, ...rest } = d;
  return { ...rest, ...(after !== undefined ? { before: after } : {}), ...(before !== undefined ? { after: before } : {}) };
}

/** Field diffs of one declared resource that is live, manifest → live, and how many ignoreChanges hid. */
function changedFields(d: DesiredResource, l: LiveResource, owned: readonly LiveResource[]): { diffs: FieldDiff[]; hidden: number } {
  const p = kindNamed(d.kind);
  const proj = p.project?.(d.spec, l.spec) ?? { desired: d.spec, live: l.spec };
  const raw = withWritten(p, d, l, compareFields(p.fields, proj.desired, proj.live));
  const compared = withoutIgnored(raw, d.spec.ignoreChanges as string[] | undefined);
  const out = compared.diffs.map(flip);
  if (p.taggable && d.tags) out.push(...compareTags(withLiveDigest(d.tags, l.tags), l.tags ?? {}).diffs.map(flip));
  const kind = kindNamed(d.kind);
  for (const assoc of isDerived(kind) ? [] : associationsOf(kind)) {
    // A field that declares resources only where it is written: left out, they are reported as unmanaged.
    if (d.spec[assoc.field] === undefined && byField(d.kind, assoc.field)) continue;
    const declaredValue = assoc.declared(d.spec);
    const liveValue = assoc.live(d.name, owned);
    const want = canonical(declaredValue);
    const have = canonical(assoc.align && declaredValue !== undefined && liveValue !== undefined ? assoc.align(declaredValue, liveValue) : liveValue);
    if (JSON.stringify(want) !== JSON.stringify(have)) {
      out.push({ path: assoc.field, ...(want !== undefined ? { before: want } : {}), ...(have !== undefined ? { after: have } : {}), sensitive: false, why: "association" });
    }
  }
  return { diffs: out, hidden: raw.diffs.length - compared.diffs.length };
}

/** The kind an owner's field declares when leaving the field out means "not managed here" (a stack's theme). */
const byField = (owner: KindName, field: string) => DERIVED_KINDS.find((k) => k.ownerKind === owner && k.declaredBy === field);

/** Live resources of such kinds on declared owners that leave the field out: nobody's to compare. */
function unmanagedByField(desired: readonly DesiredResource[], live: readonly LiveResource[]): DriftItem[] {
  const owners = new Map(desired.map((d) => [d.address, d]));
  return live.flatMap((l) => {
    const k = kindNamed(l.kind);
    if (!isDerived(k)) return [];
    const owner = owners.get(k.parents(l)[0]!);
    const note = owner && unmanagedNote(k, l, owner.spec);
    if (!note) return [];
    return [{ category: "unmanaged" as const, address: l.address, kind: l.kind, name: l.name, diff: [], note }];
  });
}

/** The diff of a singleton that is there on one side only: its whole top-level value, `none` on the other side. */
function presence(key: string, identity: string, declared: Record<string, unknown> | undefined, live: Record<string, unknown> | undefined): FieldDiff {
  const value = (spec: Record<string, unknown> | undefined) => (spec ? Object.fromEntries(Object.entries(spec).filter(([k]) => k !== identity)) : SINGLETON_NONE);
  return { path: key, before: value(declared), after: value(live), sensitive: false, why: "live" };
}

function externalNames(m: ManifestDoc): Set<string> {
  const ext = m.external ?? {};
  const out = new Set<string>();
  for (const kind of LISTED_KINDS) if (kind.external) for (const n of ext[kind.key] ?? []) out.add(`${kind.kind}/${n}`);
  return out;
}

/** Compares the manifest with the live Region. Pure. */
export function computeDrift(input: DriftInput): DriftReport {
  const m = input.manifest;
  const ignored = input.ignored ?? (() => false);
  const liveByAddress = new Map(input.live.map((l) => [l.address, l]));
  const byOwner = derivedByOwner(input.live);
  const desired = desiredResources(m).filter((d) => !DERIVED.has(d.kind));
  const declared = new Set(desired.map((d) => d.address));
  let ignoredCount = 0;
  const changed: DriftItem[] = [];
  const missing: DriftItem[] = [];
  const notes: DriftNote[] = [];
  for (const d of desired) {
    if (ignored(d.address)) {
      ignoredCount++;
      continue;
    }
    const l = liveByAddress.get(d.address);
    const base = { address: d.address, kind: d.kind, name: d.name, pointer: d.pointer };
    if (!l) {
      const one = singletonKind(d.kind);
      const diff = one ? [presence(one.key, one.identity, d.spec, undefined)] : [];
      missing.push({ ...base, category: "missing", diff, note: "declared in the manifest but not found in the Region" });
      continue;
    }
    const perResource = (d.spec.ignoreChanges as string[] | undefined) ?? [];
    const said = kindNamed(d.kind).driftNote?.(d, l);
    if (said && !coveredBy(perResource, said.path) && !ignored(d.address, said.path)) notes.push({ address: d.address, pointer: d.pointer, ...said });
    const all = changedFields(d, l, byOwner.get(d.address) ?? []);
    // Tags and memberships are outside compareFields, so ignoreChanges is applied to them here too.
    const diff = all.diffs.filter((f) => !coveredBy(perResource, f.path) && !ignored(d.address, f.path));
    ignoredCount += all.hidden + all.diffs.length - diff.length;
    const errors = ignored(d.address, "errors") ? [] : (l.errors ?? []);
    if (!diff.length && !errors.length) continue;
    changed.push({
      ...base, category: "changed", diff,
      ...(l.state ? { state: l.state } : {}), ...(errors.length ? { errors } : {}),
    });
  }
  const external = externalNames(m);
  const listed = new Set<string>(LISTED_KINDS.map((k) => k.kind));
  const unmanaged: DriftItem[] = [];
  for (const l of input.live) {
    if (!listed.has(l.kind) || declared.has(l.address) || external.has(l.address)) continue;
    if (ignored(l.address)) {
      ignoredCount++;
      continue;
    }
    const one = singletonKind(l.kind);
    if (one && declaredNone(m, one)) {
      unmanaged.push({
        category: "unmanaged", address: l.address, kind: l.kind, name: l.name, pointer: `/${one.key}`,
        diff: [presence(one.key, one.identity, undefined, l.spec)], note: `the manifest says \`${one.key}: ${SINGLETON_NONE}\`: apply deletes it`,
      });
      continue;
    }
    const owner = l.tags?.[OWNER_TAG];
    const note = owner === m.metadata.name
      ? "owned by this set but no longer declared: `plan --prune` deletes it"
      : owner ? `owned by the set ${owner}` : "not declared by any loaded manifest";
    unmanaged.push({
      category: "unmanaged", address: l.address, kind: l.kind, name: l.name, diff: [], note,
      ...(l.state ? { state: l.state } : {}), ...(owner ? { owner } : {}),
    });
  }
  for (const item of unmanagedByField(desired, input.live)) {
    if (ignored(item.address)) ignoredCount++;
    else unmanaged.push(item);
  }
  const byAddress = (a: DriftItem, b: DriftItem) => a.address.localeCompare(b.address);
  return {
    formatVersion: DRIFT_FORMAT_VERSION,
    createdAt: input.createdAt,
    target: { region: input.region, ...(input.endpoint ? { endpoint: input.endpoint } : {}) },
    set: m.metadata.name,
    summary: { changed: changed.length, missing: missing.length, unmanaged: unmanaged.length, ignored: ignoredCount },
    changed: changed.sort(byAddress),
    missing: missing.sort(byAddress),
    unmanaged: unmanaged.sort(byAddress),
    notes: notes.sort((a, b) => a.address.localeCompare(b.address)),
  };
}
