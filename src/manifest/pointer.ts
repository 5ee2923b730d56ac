/** JSON pointers (RFC 6901) and the lookup of a pointer's position in a `SourceMap`. */
import type { SourceLocation } from "../core/errors.js";
import type { SourceMap } from "./types.js";

/** Escapes one pointer segment (`~` → `~0`, `/` → `~1`). */
export function escapeSegment(segment: string | number): string {
  if (typeof segment === "number") return String(segment);
  // Pointers are built for every entry of a large manifest; almost no segment needs escaping.
  return segment.includes("~") || segment.includes("/") ? segment.replace(/~/g, "~0").replace(/\//g, "~1") : segment;
}

/** Builds a pointer from path segments: `["fleets", 0, "name"]` → `/fleets/0/name`. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => "/" + escapeSegment(s)).join("");
}

/** Appends segments to a pointer. */
export function childPointer(pointer: string, ...segments: (string | number)[]): string {
  return pointer + toPointer(segments);
}

/** Splits a pointer into its unescaped segments. */
export function segmentsOf(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The pointer one level up; the root is its own parent. */
export function parentPointer(pointer: string): string {
  const i = pointer.lastIndexOf("/");
  return i <= 0 ? "" : pointer.slice(0, i);
}

/** True when `pointer` is `ancestor` or lies below it. */
export function isWithin(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(ancestor + "/");
}

/**
 * The position to report for a pointer: its key (for unknown fields, where the key is the mistake) or its
 * value, falling back to the nearest ancestor that was written down (a missing field is reported at the
 * object that lacks it).
 */
export function locate(sources: SourceMap, pointer: string, prefer: "key" | "value" = "value"): SourceLocation | undefined {
  let p = pointer;
  for (;;) {
    const hit = prefer === "key" ? (sources.keys.get(p) ?? sources.values.get(p)) : sources.values.get(p);
    if (hit) return hit;
    if (p === "") return undefined;
    p = parentPointer(p);
  }
}

/** Reads the value at a pointer of a plain JSON-like value. */
export function valueAt(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const seg of segmentsOf(pointer)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (cur !== null && typeof cur === "object") cur = (cur as Record<string, unknown>)[seg];
    else return undefined;
  }
  return cur;
}
