/**
 * The live snapshot the core is measured on, as JSON Lines: a first line with the image catalog, then
 * one page of live resources per line (a JSON array of up to {@link PAGE}). Reads deliver the live state
 * in pages; one JSON document of the whole state (38 MB at 4× the large estate) would put a string of
 * that size beside the parsed state, which no plan ever holds, and make the core's peak memory depend on
 * when V8 collects it.
 */
import { closeSync, openSync, readSync, writeFileSync } from "node:fs";
import type { LiveState } from "../src/engine/read.js";
import { ALL_KINDS } from "../src/kinds/index.js";
import { MEMBERSHIPS_PAGE } from "../src/kinds/page-sizes.js";

type Snapshot = Pick<LiveState, "resources" | "catalog">;

/** Resources per line: DescribeUserStackAssociations' page, the largest a plan reads. */
const PAGE = MEMBERSHIPS_PAGE;

/** Writes `live` to `file`. */
export function writeLiveFile(file: string, live: Snapshot): void {
  const lines = [JSON.stringify({ catalog: live.catalog })];
  for (let i = 0; i < live.resources.length; i += PAGE) lines.push(JSON.stringify(live.resources.slice(i, i + PAGE)));
  writeFileSync(file, lines.join("\n") + "\n");
}

/** The snapshot in `text` (what `writeLiveFile` wrote). */
export function parseLiveText(text: string): Snapshot {
  const lines = snapshotLines();
  let start = 0;
  for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
    lines.take(text.slice(start, nl));
    start = nl + 1;
  }
  lines.take(text.slice(start));
  return lines.snapshot;
}

/** Reads `file` a megabyte at a time, as a plan's reads take the state a page at a time. */
export function readLiveFile(file: string): Snapshot {
  const lines = snapshotLines();
  const fd = openSync(file, "r");
  const chunk = Buffer.alloc(1 << 20);
  // The start of a line the last chunk ended in the middle of (copied: the chunk is read into again).
  let carry: Buffer | undefined;
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      const bytes = chunk.subarray(0, n);
      let start = 0;
      let nl = bytes.indexOf(LF);
      if (carry) {
        if (nl === -1) {
          carry = Buffer.concat([carry, bytes]);
          continue;
        }
        lines.take(Buffer.concat([carry, bytes.subarray(0, nl)]).toString("utf8"));
        start = nl + 1;
        nl = bytes.indexOf(LF, start);
      }
      for (; nl !== -1; nl = bytes.indexOf(LF, start)) {
        lines.take(bytes.toString("utf8", start, nl));
        start = nl + 1;
      }
      carry = start < n ? Buffer.from(bytes.subarray(start)) : undefined;
    }
  } finally {
    closeSync(fd);
  }
  if (carry) lines.take(carry.toString("utf8"));
  return lines.snapshot;
}

const LF = 0x0a;

// A read names each resource's kind with the kind's own constant; a parsed line has a copy per resource.
const KIND_NAMES = new Map<string, string>(ALL_KINDS.map((k) => [k.kind, k.kind]));

/** Takes the snapshot's lines in order: the catalog's, then a page of resources per line. */
function snapshotLines(): { take(line: string): void; snapshot: Snapshot } {
  const snapshot: Snapshot = { resources: [], catalog: [] };
  let headRead = false;
  return {
    snapshot,
    take(line) {
      if (!line.trim()) return;
      if (!headRead) {
        headRead = true;
        snapshot.catalog = (JSON.parse(line) as { catalog: Snapshot["catalog"] }).catalog;
        return;
      }
      const page = JSON.parse(line) as Snapshot["resources"];
      for (const r of page) {
        r.kind = (KIND_NAMES.get(r.kind) ?? r.kind) as typeof r.kind;
        snapshot.resources.push(r);
      }
    },
  };
}
