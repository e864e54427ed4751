import { describe, expect, it } from 'vitest';
import { copyExistingColumnsOnly } from '../../src/engine/sqlite-rebuild.js';

const snapshot = JSON.stringify({ tables: { posts: { columns: { id: {}, title: {} } } } });

describe('a SQLite table rebuilt by drizzle-kit', () => {
  it('copies only the columns the old table had, so a column the same migration adds takes its default', () => {
    const sql = [
      'CREATE TABLE `__new_posts` (`id` text, `title` text, `rating` integer DEFAULT 3 NOT NULL);',
      'INSERT INTO `__new_posts`("id", "title", "rating") SELECT "id", "title", "rating" FROM `posts`;',
      'DROP TABLE `posts`;',
    ].join('\n');
    expect(copyExistingColumnsOnly(sql, snapshot).split('\n')[1]).toBe(
      'INSERT INTO `__new_posts`("id", "title") SELECT "id", "title" FROM `posts`;',
    );
  });

  it('leaves a migration without a rebuild, and a copy it cannot read, as drizzle-kit wrote them', () => {
    const added = 'ALTER TABLE `posts` ADD `rating` integer;';
    expect(copyExistingColumnsOnly(added, snapshot)).toBe(added);
    const renamed = 'INSERT INTO `__new_posts`("id", "name") SELECT "id", "title" FROM `posts`;';
    expect(copyExistingColumnsOnly(renamed, snapshot)).toBe(renamed);
    expect(copyExistingColumnsOnly(renamed, undefined)).toBe(renamed);
  });
});
