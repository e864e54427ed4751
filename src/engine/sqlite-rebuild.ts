// drizzle-kit 0.31 changes a SQLite table it cannot ALTER (a CHECK added, a column made
// required) by creating `__new_<table>`, copying the rows over and renaming it. When the same
// migration adds a column, the copy names that column in the old table too, where it does
// not exist yet, and the migration fails with "no such column". The copy is cut to the
// columns the old table had, as of the snapshot before the migration: the new columns of the
// copied rows take their defaults, as an ALTER TABLE ... ADD COLUMN would give them.

const COPY = /INSERT INTO `__new_(\w+)`\(([^)]*)\) SELECT ([^;]*?) FROM `(\w+)`;/g;

interface Snapshot {
  tables?: Record<string, { columns?: Record<string, unknown> }>;
}

const columnList = (text: string) => text.split(',').map((name) => name.trim());

/** `sql` with each table copy naming only the columns `previous` (a drizzle-kit snapshot's JSON) gives the old table. */
export function copyExistingColumnsOnly(sql: string, previous: string | undefined): string {
  if (previous === undefined || !sql.includes('INSERT INTO `__new_')) return sql;
  const tables = (JSON.parse(previous) as Snapshot).tables ?? {};
  return sql.replace(COPY, (copy, table: string, inserted: string, selected: string, from: string) => {
    const existing = tables[table]?.columns;
    if (table !== from || inserted !== selected || existing === undefined) return copy;
    const kept = columnList(inserted).filter((quoted) => Object.hasOwn(existing, quoted.replace(/^"|"$/g, '')));
    const list = kept.join(', ');
    return `INSERT INTO \`__new_${table}\`(${list}) SELECT ${list} FROM \`${table}\`;`;
  });
}
