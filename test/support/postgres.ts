import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type Sql = ((strings: TemplateStringsArray, ...values: unknown[]) => Promise<unknown>) & {
  unsafe(query: string): Promise<unknown>;
  end(): Promise<void>;
};

/** The PostgreSQL server tests may use, or undefined (those tests are then skipped). */
export const serverUrl: string | undefined = process.env.TEST_DATABASE_URL || undefined;

export function skipReason(what: string): string | undefined {
  if (serverUrl !== undefined) return undefined;
  const reason = `TEST_DATABASE_URL is not set: skipping ${what} on a PostgreSQL server`;
  console.warn(reason);
  return reason;
}

/**
 * A database of its own for one test run, created on the server and dropped after.
 * The driver comes from a generated service's node_modules: the pack itself does not
 * depend on one.
 */
export async function createTestDatabase(serviceDir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (serverUrl === undefined) throw new Error('TEST_DATABASE_URL is not set');
  const postgres = createRequire(join(serviceDir, 'package.json'))('postgres') as (url: string, options: object) => Sql;
  const name = `bdk_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
