import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../../src/project/manifest.js';

const UPGRADE = 'from a service this version writes (npx backend-dev-kit service <scratch-dir>)';

/**
 * What auth needs from a service's own files that an earlier version of backend-dev-kit
 * did not write: each problem names the file and how to bring it up to date.
 */
export function authProblemsOfOlderService(root: string): string[] {
  const read = (path: string) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : '');
  const problems: string[] = [];
  if (!existsSync(join(root, 'src', 'http', 'access.ts'))) {
    problems.push(`src/http/access.ts is missing, where routes declare who may call them: copy it ${UPGRADE}`);
  }
  if (!read('src/routes/health.ts').includes("access: 'public'")) {
    problems.push(
      "src/routes/health.ts does not mark its probes public: add access: 'public' to each route's config, or an orchestrator would get 401",
    );
  }
  const openapi = read('src/plugins/openapi.ts');
  if (!openapi.includes('// backend-dev-kit:openapi-components') || !openapi.includes('publicRoutes(')) {
    problems.push(
      `src/plugins/openapi.ts has no "// backend-dev-kit:openapi-components" marker or does not make the docs public: copy it ${UPGRADE}, keeping your tags`,
    );
  }
  if (!read('src/http/problem.ts').includes('401:')) {
    problems.push(`src/http/problem.ts does not describe 401 and 403: copy it ${UPGRADE}`);
  }
  const resources = Object.keys(readManifest(root).resources);
  if (resources.length > 0 && !existsSync(join(root, 'test', 'send.ts'))) {
    problems.push(
      `test/send.ts is missing: the tests of ${resources.join(', ')} send requests with app.inject, which auth would answer with 401. Generate them again with --force (this version sends through test/send.ts), then run this again`,
    );
  }
  return problems;
}
