/** A marker that injection needs and the file does not contain. */
export class MissingMarkerError extends Error {
  constructor(
    readonly file: string,
    readonly marker: string,
  ) {
    super(`${file}: marker "${marker}" not found; restore the marker line or add the code by hand`);
    this.name = 'MissingMarkerError';
  }
}

/**
 * Inserts `block` on the lines after (or before) the line holding `marker`, with the
 * marker's indentation. A block already present (as whole lines, anywhere in the file)
 * is not inserted again, so running a generator twice leaves one copy.
 */
export function injectAtMarker(
  content: string,
  file: string,
  marker: string,
  block: string,
  where: 'after' | 'before' = 'after',
): string {
  const lines = content.split('\n');
  const at = lines.findIndex((line) => line.includes(marker));
  if (at === -1) throw new MissingMarkerError(file, marker);
  const indent = /^\s*/.exec(lines[at] ?? '')?.[0] ?? '';
  const blockLines = block
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line.length > 0 ? indent + line : line));
  if (containsLines(lines, blockLines)) return content;
  lines.splice(where === 'after' ? at + 1 : at, 0, ...blockLines);
  return lines.join('\n');
}

function containsLines(haystack: string[], needle: string[]): boolean {
  const trimmed = needle.map((line) => line.trim());
  const first = trimmed[0];
  if (first === undefined) return true;
  return haystack.some(
    (line, i) => line.trim() === first && trimmed.every((want, j) => (haystack[i + j] ?? '').trim() === want),
  );
}

const MODULE_LINE = /^(import|export)\b.*\bfrom\s+['"][^'"]+['"];?\s*$/;

/**
 * Adds import (or `export ... from`) lines to a module, each once, after its last
 * one-line import or re-export. The project's formatter then sorts them, so no marker
 * is needed among the imports.
 */
export function addModuleLines(content: string, block: string): string {
  const lines = content.split('\n');
  const wanted = block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !lines.some((existing) => existing.trim() === line));
  if (wanted.length === 0) return content;
  const last = lines.reduce((found, line, i) => (MODULE_LINE.test(line) ? i : found), -1);
  if (last >= 0) {
    lines.splice(last + 1, 0, ...wanted);
    return lines.join('\n');
  }
  // No import yet: after the leading comment block, if any, and a blank line, as Biome sets
  // a file's header comment apart once an import sorts before the first one.
  const afterComments = lines.findIndex((line) => !line.startsWith('//'));
  if (afterComments === 0) {
    lines.unshift(...wanted);
  } else if (afterComments !== -1 && lines[afterComments] === '' && afterComments < lines.length - 1) {
    lines.splice(afterComments + 1, 0, ...wanted);
  } else {
    lines.splice(afterComments === -1 ? lines.length : afterComments, 0, '', ...wanted);
  }
  return lines.join('\n');
}

/** Appends a block at the end of a file after a blank line, unless the file holds it already. */
export function appendBlock(content: string, block: string): string {
  const trimmed = block.replace(/\n+$/, '');
  if (containsLines(content.split('\n'), trimmed.split('\n'))) return content;
  return `${content.replace(/\n*$/, '\n\n')}${trimmed}\n`;
}

/**
 * The content without the lines of `block` (matched as whole lines, ignoring indentation),
 * as an injection or import put them there; undefined when the file does not hold them.
 */
export function removeLines(content: string, block: string): string | undefined {
  const lines = content.split('\n');
  const wanted = block
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => line.trim());
  const at = lines.findIndex((_, i) => wanted.every((want, j) => (lines[i + j] ?? '').trim() === want));
  if (at === -1) return undefined;
  lines.splice(at, wanted.length);
  return lines.join('\n');
}
