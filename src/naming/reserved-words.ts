// Names that would break generated code or SQL, or read as something they are not.

const JAVASCRIPT = new Set(
  `arguments await break case catch class const constructor continue debugger default delete do else enum eval export
  extends false finally for function if implements import in instanceof interface let new null package private
  protected prototype public return static super switch this throw true try typeof undefined var void while with
  yield __proto__`.split(/\s+/),
);

// PostgreSQL's reserved key words (those that cannot name a column without quoting).
const SQL = new Set(
  `all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create
  current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc
  distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral
  leading limit localtime localtimestamp not null offset on only or order placing primary references returning
  select session_user some symmetric system_user table then to trailing true union unique user using variadic
  when where window with`.split(/\s+/),
);

/** Says why a name cannot be used, or undefined when it can. */
export function reservedWordProblem(name: string): string | undefined {
  if (JAVASCRIPT.has(name)) return `"${name}" is a reserved word in JavaScript; choose another name`;
  if (SQL.has(name.toLowerCase())) return `"${name}" is a reserved word in SQL; choose another name`;
  return undefined;
}
