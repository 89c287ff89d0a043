// Inputs that are not YAML text at all (gzip, binaries, NUL bytes) or hold no map at all (bare scalars, lists):
// a pull request must not get "nothing to check" (exit 0) from a file that cannot be a manifest. read.ts makes
// it an error for a file named on the command line and a notice for a file found by walking a directory.
import type { ParsedSource } from "./types.ts";

/** Whether a UTF-16 code unit is outside YAML 1.2's c-printable set (C0 controls but tab/LF/CR, DEL, C1 but NEL, U+FFFE/U+FFFF). */
function notPrintable(c: number): boolean {
  if (c < 0x20) return c !== 0x09 && c !== 0x0a && c !== 0x0d;
  if (c < 0x7f) return false;
  if (c <= 0x9f) return c !== 0x85;
  return c === 0xfffe || c === 0xffff;
}

/** Why the text is not YAML text (the first character YAML does not allow, with its line), or undefined. Linear. */
export function notTextReason(text: string): string | undefined {
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) line++;
    else if (notPrintable(c)) {
      const what = c === 0 ? "a NUL byte" : `the control character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
      const gzip = text.charCodeAt(0) === 0x1f && (text.charCodeAt(1) === 0x8b || text.charCodeAt(1) === 0xfffd) ? " (gzip data?)" : "";
      return `not YAML text: ${what} at line ${line}${gzip}; YAML allows no control characters but tab and line breaks`;
    }
  }
  return undefined;
}

/** Why a parsed source is no Kubernetes document set: documents, but not one of them a map. */
export function noObjectReason(parsed: ParsedSource): string | undefined {
  if (parsed.objects.length > 0 || parsed.ignored.length === 0) return undefined;
  // Maps without apiVersion/kind (Helm values, kustomization fragments) are ignored as today.
  if (parsed.ignored.some((d) => !/^(a list|a [a-z]+), not an object$/.test(d.reason))) return undefined;
  const first = parsed.ignored[0]!;
  return `not a Kubernetes document set: the document at line ${first.line} is ${first.reason}, and no document is a map with apiVersion and kind`;
}
