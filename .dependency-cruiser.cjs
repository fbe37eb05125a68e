/**
 * The import rules of src/ (ARCHITECTURE.md, "Layers"): no import cycle, and no import from a lower
 * layer to a higher one. Checked by `npm run lint` (`depcruise src`) and test/architecture/layers.test.ts.
 * Type-only imports count: a type cycle is still a cycle for a reader.
 */

/** Lowest first. A module may import its own layer and any lower one. */
const LAYERS = [
  { name: 'base', paths: ['src/errors\\.ts', 'src/logging\\.ts'] },
  { name: 'domain', paths: ['src/domain/'] },
  { name: 'formats, events, fs', paths: ['src/formats/', 'src/events/', 'src/fs/'] },
  { name: 'matching', paths: ['src/matching/'] },
  { name: 'providers', paths: ['src/providers/'] },
  { name: 'cache, boundary', paths: ['src/cache/', 'src/boundary/'] },
  { name: 'aggregate', paths: ['src/aggregate/'] },
  { name: 'exporters', paths: ['src/exporters/'] },
  { name: 'config', paths: ['src/config/'] },
  { name: 'abs', paths: ['src/abs/'] },
  { name: 'bridge', paths: ['src/bridge/'] },
  { name: 'http, notify', paths: ['src/http/', 'src/notify/'] },
  { name: 'app', paths: ['src/app/'] },
  { name: 'cli', paths: ['src/cli/'] },
];

/**
 * TEMPORARY exceptions, each removed by the branch named beside it once merged (then delete the
 * entry; an entry that matches nothing fails the check, so a stale one cannot linger).
 * `from` is one file, `to` a pattern of what it may still import.
 */
const TEMPORARY_EXCEPTIONS = [];

/** TEMPORARY: cycles through these files are not reported yet. */
const TEMPORARY_CYCLES = [];

const anyOf = (paths) => `^(${paths.join('|')})`;
const escape = (file) => `^${file.replace(/[.]/g, '\\.')}$`;

function layerRules() {
  const rules = [];
  LAYERS.forEach((layer, i) => {
    const higher = LAYERS.slice(i + 1).flatMap((l) => l.paths);
    if (higher.length === 0) return;
    const excepted = TEMPORARY_EXCEPTIONS.filter((e) => new RegExp(anyOf(layer.paths)).test(e.from));
    const comment = `${layer.name} may not import a higher layer (${LAYERS.slice(i + 1)
      .map((l) => l.name)
      .join(' → ')})`;
    rules.push({
      name: `layer-${layer.name.replace(/[^a-z]+/g, '-')}`,
      comment,
      severity: 'error',
      from: { path: anyOf(layer.paths), ...(excepted.length ? { pathNot: excepted.map((e) => escape(e.from)) } : {}) },
      to: { path: anyOf(higher) },
    });
    for (const e of excepted) {
      rules.push({
        name: `layer-${layer.name.replace(/[^a-z]+/g, '-')}-except-${e.from.replace(/[^a-z]+/g, '-')}`,
        comment: `${comment}; temporary exception: ${e.to}`,
        severity: 'error',
        from: { path: escape(e.from) },
        to: { path: anyOf(higher), pathNot: e.to },
      });
    }
  });
  return rules;
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'import cycles make a module impossible to read or test on its own',
      severity: 'error',
      from: { path: '^src/' },
      to: {
        circular: true,
        // An empty alternation would match every path, so no exception means no viaNot at all.
        ...(TEMPORARY_CYCLES.length
          ? { viaNot: anyOf(TEMPORARY_CYCLES.map((f) => `${f.replace(/[.]/g, '\\.')}$`)) }
          : {}),
      },
    },
    ...layerRules(),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};

// Not a dependency-cruiser option (its schema allows no extra keys): for the staleness check in
// test/architecture/layers.test.ts.
Object.defineProperty(module.exports, 'temporaryExceptions', {
  value: { imports: TEMPORARY_EXCEPTIONS, cycles: TEMPORARY_CYCLES },
  enumerable: false,
});
