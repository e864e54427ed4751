import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintFromString, loadConfig } from '@redocly/openapi-core';
import { Document, type RulesetDefinition, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { parse } from 'yaml';

type Severity = 'off' | 'error' | 'warn' | 'info' | 'hint';

/**
 * Every error and warning Redocly (recommended) and Spectral (spectral:oas) report on an
 * OpenAPI document, each under the rules a service commits (redocly.yaml, .spectral.yaml),
 * as one line per problem: `<linter> <rule> <where>: <message>`.
 */
export async function lintOpenApi(document: object, serviceDir: string): Promise<string[]> {
  const source = JSON.stringify(document, null, 2);
  const config = await loadConfig({ configPath: join(serviceDir, 'redocly.yaml') });
  const redocly = (await lintFromString({ source, absoluteRef: 'openapi.json', config }))
    .filter((problem) => problem.severity === 'error' || problem.severity === 'warn')
    .map((problem) => `redocly ${problem.ruleId} ${problem.location[0]?.pointer ?? ''}: ${problem.message}`);

  const ruleset = parse(readFileSync(join(serviceDir, '.spectral.yaml'), 'utf8')) as {
    extends: string[];
    rules?: Record<string, Severity>;
  };
  if (JSON.stringify(ruleset.extends) !== '["spectral:oas"]') {
    throw new Error(`.spectral.yaml extends ${JSON.stringify(ruleset.extends)}; this check knows spectral:oas only`);
  }
  const spectral = new Spectral();
  // The package's own types disagree on what a ruleset is; the object is the one Spectral's CLI loads.
  spectral.setRuleset({ extends: [[oas as RulesetDefinition, 'recommended']], rules: ruleset.rules ?? {} });
  // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
  const results = await spectral.run(new Document(source, Json, 'openapi.json'));
  const spectralProblems = results
    .filter((result) => result.severity <= 1)
    .map((result) => `spectral ${result.code} ${result.path.join('.')}: ${result.message}`);
  return [...redocly, ...spectralProblems];
}
