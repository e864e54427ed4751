import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface Connection {
  query(sql: string): Promise<[Record<string, unknown>[], unknown]>;
  end(): Promise<void>;
}

/** The MySQL or MariaDB server tests may use, or undefined (those tests are then skipped). */
export const mysqlUrl: string | undefined = process.env.TEST_MYSQL_URL || undefined;

export function mysqlSkipReason(what: string): string | undefined {
  if (mysqlUrl !== undefined) return undefined;
  const reason = `TEST_MYSQL_URL is not set: skipping ${what} on a MySQL server`;
  console.warn(reason);
  return reason;
}

/**
 * A database of its own, created on the server with `collation` (the one a MySQL service
 * needs when undefined) and dropped after. The driver comes from a generated service's
 * node_modules: the pack itself does not depend on one.
 */
export async function createMysqlDatabase(
  serviceDir: string,
  collation?: string,
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  if (mysqlUrl === undefined) throw new Error('TEST_MYSQL_URL is not set');
  const mysql = createRequire(join(serviceDir, 'package.json'))('mysql2/promise') as {
    createConnection(options: { uri: string }): Promise<Connection>;
  };
  const admin = await mysql.createConnection({ uri: mysqlUrl });
  const [[server]] = await admin.query('select version() as version');
  const binary = String(server?.version).includes('MariaDB') ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
  const name = `bdk_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name} character set utf8mb4 collate ${collation ?? binary}`);
  const url = new URL(mysqlUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    },
  };
}
