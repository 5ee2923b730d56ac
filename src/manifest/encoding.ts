/**
 * Manifest files are UTF-8 (YAML 1.2 allows UTF-16/32 too, but both YAML readers here take a string, and a
 * file decoded with the wrong encoding reads as a garbled mapping error far from the cause). Invalid
 * UTF-8 is never replaced with U+FFFD: a name with a replacement character would be sent to AWS as is.
 */
import type { Diagnostic, SourceLocation } from "../core/errors.js";

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

/** The text of a UTF-8 file, or a `manifest.encoding` diagnostic naming where it stops being UTF-8. */
export function decodeUtf8(file: string, bytes: Uint8Array): { text?: string; diagnostic?: Diagnostic } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { diagnostic: notUtf8(file, bytes, 0, "it starts with a UTF-16 byte-order mark") };
  }
  // NUL is valid UTF-8 but never valid YAML; a file full of them is UTF-16 without a byte-order mark.
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { diagnostic: notUtf8(file, bytes, nul, "it holds NUL bytes, as UTF-16 text does") };
  try {
    return { text: strict.decode(bytes) };
  } catch {
    const at = firstInvalid(bytes);
    const byte = bytes[at]?.toString(16).toUpperCase().padStart(2, "0") ?? "";
    return { diagnostic: notUtf8(file, bytes, at, `byte 0x${byte} does not start a valid UTF-8 character (Latin-1 or another legacy encoding?)`) };
  }
}

function notUtf8(file: string, bytes: Uint8Array, offset: number, why: string): Diagnostic {
  return {
    code: "manifest.encoding", severity: "error", message: `not UTF-8: ${why}`, loc: positionOf(file, bytes, offset),
    hint: "save the file as UTF-8 (without a byte-order mark is best)",
  };
}

/** Line and column (in UTF-16 code units, as every other diagnostic counts) of a byte offset. */
function positionOf(file: string, bytes: Uint8Array, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, line, col: lenient.decode(bytes.subarray(lineStart, offset)).length + 1 };
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
export function firstInvalid(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      // The position of a broken sequence is its first byte: that is the character to fix.
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
