import { describe, expect, it } from 'vitest';
import {
  addModuleLines,
  appendBlock,
  injectAtMarker,
  MissingMarkerError,
  removeLines,
} from '../../src/engine/injection.js';

const file = ['export async function routes(app) {', '  await app.register(health);', '  // bdk:routes', '}', ''].join(
  '\n',
);

describe('injectAtMarker', () => {
  it('inserts after the marker with its indentation', () => {
    const out = injectAtMarker(file, 'routes.ts', '// bdk:routes', 'await app.register(posts);\n');
    expect(out.split('\n')).toEqual([
      'export async function routes(app) {',
      '  await app.register(health);',
      '  // bdk:routes',
      '  await app.register(posts);',
      '}',
      '',
    ]);
  });

  it('inserts before the marker when asked, so repeated runs keep their order', () => {
    const first = injectAtMarker(file, 'routes.ts', '// bdk:routes', 'await app.register(posts);', 'before');
    const second = injectAtMarker(first, 'routes.ts', '// bdk:routes', 'await app.register(tags);', 'before');
    expect(second.split('\n').slice(1, 5)).toEqual([
      '  await app.register(health);',
      '  await app.register(posts);',
      '  await app.register(tags);',
      '  // bdk:routes',
    ]);
  });

  it('inserting twice leaves one copy', () => {
    const once = injectAtMarker(file, 'routes.ts', '// bdk:routes', 'await app.register(posts);');
    expect(injectAtMarker(once, 'routes.ts', '// bdk:routes', 'await app.register(posts);')).toBe(once);
  });

  it('keeps multi-line blocks whole and recognises them on a re-run', () => {
    const block = 'app.get(x, {\n  a: 1,\n});';
    const once = injectAtMarker(file, 'routes.ts', '// bdk:routes', block);
    expect(once).toContain('  app.get(x, {\n    a: 1,\n  });');
    expect(injectAtMarker(once, 'routes.ts', '// bdk:routes', block)).toBe(once);
  });

  it('a missing marker is an error naming the file and the marker', () => {
    expect(() => injectAtMarker('const a = 1;\n', 'src/app.ts', '// bdk:routes', 'x();')).toThrow(MissingMarkerError);
    expect(() => injectAtMarker('const a = 1;\n', 'src/app.ts', '// bdk:routes', 'x();')).toThrow(
      'src/app.ts: marker "// bdk:routes" not found',
    );
  });
});

describe('addModuleLines', () => {
  const module = ["import a from 'a';", "import { b } from './b.js';", '', 'export const c = 1;', ''].join('\n');

  it('adds after the last import, once', () => {
    const once = addModuleLines(module, "import { posts } from './posts.js';");
    expect(once.split('\n')[2]).toBe("import { posts } from './posts.js';");
    expect(addModuleLines(once, "import { posts } from './posts.js';")).toBe(once);
  });

  it('adds re-exports to a barrel that has only a comment, a blank line after it', () => {
    const barrel = '// Every table.\n// bdk:tables\n';
    const once = addModuleLines(barrel, "export * from './posts.js';");
    expect(once).toBe("// Every table.\n// bdk:tables\n\nexport * from './posts.js';\n");
    expect(addModuleLines(addModuleLines(once, "export * from './tags.js';"), "export * from './posts.js';")).toBe(
      "// Every table.\n// bdk:tables\n\nexport * from './posts.js';\nexport * from './tags.js';\n",
    );
    expect(addModuleLines('// Every table.\n\n', "export * from './posts.js';")).toBe(
      "// Every table.\n\nexport * from './posts.js';\n",
    );
    expect(addModuleLines('', "export * from './posts.js';")).toBe("export * from './posts.js';\n");
  });
});

describe('appendBlock', () => {
  it('appends at the end after one blank line, once', () => {
    const once = appendBlock('A=1\n\n\n', '# the key\nAPI_KEY=\n');
    expect(once).toBe('A=1\n\n# the key\nAPI_KEY=\n');
    expect(appendBlock(once, '# the key\nAPI_KEY=\n')).toBe(once);
  });
});

describe('removeLines', () => {
  it('takes out the lines an injection put in, whatever their indentation, and says when they are not there', () => {
    const file = 'a\n  await app.register(postsRoutes);\n  // marker\n';
    expect(removeLines(file, 'await app.register(postsRoutes);\n')).toBe('a\n  // marker\n');
    expect(removeLines(file, 'await app.register(usersRoutes);')).toBeUndefined();
  });
});
