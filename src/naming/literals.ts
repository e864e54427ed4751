/** A TypeScript string literal in the quotes Biome would choose: single, unless that needs escapes. */
export function quote(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\');
  return text.includes("'") && !text.includes('"') ? `"${escaped}"` : `'${escaped.replace(/'/g, "\\'")}'`;
}
