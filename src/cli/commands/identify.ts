import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { createRuntime, type Runtime } from '../../app/runtime.js';
import { type LookupContext, LookupContextInputSchema, makeLookupContext } from '../../domain/lookup.js';
import { ValidationError } from '../../errors.js';
import { scanItemFolder } from '../../providers/local/files.js';
import { loadCliEnv, printJsonLine } from '../context.js';
import { formatIdentifyText, toIdentifyOutput } from './identify-output.js';

interface IdentifyOptions {
  context?: string;
  json?: boolean;
  offline?: boolean;
  refresh?: boolean;
  only?: string;
  strict?: boolean;
}

export function registerIdentifyCommand(program: Command): void {
  program
    .command('identify')
    .description(
      'Identify a book from a folder or from JSON lookup contexts; prints merged metadata and a decision',
    )
    .argument('[folder]', 'an audiobook folder (local providers read it, then network providers are asked)')
    .option('--context <file>', 'a JSON lookup context, or a JSON-lines file of them (one result line each)')
    .option('--json', 'print one JSON object per context')
    .option('--offline', 'local providers only')
    .option('--refresh', 'bypass caches')
    .option('--only <ids>', 'comma-separated provider ids to ask')
    .option('--strict', 'let provider errors fail the command')
    .action(async (folder: string | undefined, options: IdentifyOptions, command: Command) => {
      const contexts = await readContexts(folder, options.context);
      const { config, logger } = loadCliEnv(command);
      const runtime = await createRuntime(config, logger, {
        offline: Boolean(options.offline),
        strict: Boolean(options.strict),
      });
      try {
        for (const ctx of contexts) await identifyOne(runtime, ctx, options);
      } finally {
        await runtime.close();
      }
    });
}

async function identifyOne(runtime: Runtime, ctx: LookupContext, options: IdentifyOptions): Promise<void> {
  const result = await runtime.aggregator.aggregate(ctx, {
    ...(options.refresh ? { refresh: true } : {}),
    ...(options.only ? { only: options.only.split(',').map((s) => s.trim()) } : {}),
  });
  const output = toIdentifyOutput(result, runtime.decideOn(result));
  if (options.json) printJsonLine(output);
  else process.stdout.write(`${formatIdentifyText(output)}\n`);
}

/** Contexts from --context (JSON or JSON lines) or from a folder; every bad line is reported. */
export async function readContexts(
  folder: string | undefined,
  contextFile: string | undefined,
): Promise<LookupContext[]> {
  if (contextFile) return parseContextFile(contextFile, await readFile(contextFile, 'utf8'));
  if (folder) return [await contextFromFolder(folder)];
  throw new ValidationError('identify', ['give a folder or --context <file>']);
}

export function parseContextFile(source: string, text: string): LookupContext[] {
  const trimmed = text.trim();
  if (!trimmed) throw new ValidationError(source, ['file is empty']);
  let values: { line: number; value: unknown }[];
  try {
    values = [{ line: 1, value: JSON.parse(trimmed) }];
  } catch {
    values = [];
    const problems: string[] = [];
    trimmed.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      try {
        values.push({ line: i + 1, value: JSON.parse(line) });
      } catch (error) {
        problems.push(`line ${i + 1}: invalid JSON (${(error as Error).message})`);
      }
    });
    if (problems.length) throw new ValidationError(source, problems);
  }
  const flat = values.flatMap(({ line, value }) =>
    Array.isArray(value) ? value.map((v) => ({ line, value: v as unknown })) : [{ line, value }],
  );
  const problems: string[] = [];
  const contexts = flat.map(({ line, value }) => {
    const parsed = LookupContextInputSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(
        ...parsed.error.issues.map((i) => `line ${line}: ${i.path.join('.') || '(root)'}: ${i.message}`),
      );
      return makeLookupContext();
    }
    return makeLookupContext(stripUndefinedKeys(parsed.data));
  });
  if (problems.length) throw new ValidationError(source, problems);
  return contexts;
}

/** A context with only what the folder itself says; local providers fill in the rest. */
export async function contextFromFolder(folder: string): Promise<LookupContext> {
  const resolved = path.resolve(folder);
  const info = await stat(resolved).catch((cause: unknown) => {
    throw new ValidationError(folder, [`cannot read folder (${(cause as Error).message})`], { cause });
  });
  if (!info.isDirectory()) throw new ValidationError(folder, ['not a folder']);
  // Disc/part subfolders belong to the book; the scan follows them (symlink loops are cut).
  const scan = await scanItemFolder(resolved);
  for (const note of scan.notes) process.stderr.write(`warning: ${note}\n`);
  const fileNames = scan.files.map((f) => f.rel);
  return makeLookupContext({ path: resolved, folderName: path.basename(resolved), fileNames });
}

function stripUndefinedKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
