import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { createRuntime } from '../../app/runtime.js';
import type { Config } from '../../config/schema.js';
import type { AggregatedResult } from '../../domain/aggregated.js';
import type { EventBus } from '../../events/bus.js';
import { listAudioFiles, relativeTo } from '../../exporters/audio-files.js';
import { createDefaultExporters, EXPORT_FORMATS, writeExport } from '../../exporters/index.js';
import type { ExportContext, MetadataExporter } from '../../exporters/types.js';
import { assertInside } from '../../fs/atomic-write.js';
import { loadCliEnv, printJsonLine } from '../context.js';
import { contextFromFolder } from './identify.js';

interface ExportOptions {
  format: string;
  out?: string;
  dryRun?: boolean;
  offline?: boolean;
  json?: boolean;
  opfName?: string;
}

/** One line of the command's report. */
interface ExportReport {
  format: string;
  path?: string;
  bytes?: number;
  status: 'written' | 'dry-run' | 'failed';
  error?: string;
  content?: string;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('Write metadata.json, OPF, NFO, CUE, M3U or Markdown for a folder')
    .argument('<folder>', 'an audiobook folder')
    .option(
      '--format <list>',
      `comma-separated formats: ${EXPORT_FORMATS.join(', ')}`,
      EXPORT_FORMATS.join(','),
    )
    .option('--out <dir>', 'write into this folder instead of the book folder')
    .option('--dry-run', 'print what would be written, write nothing')
    .option('--offline', 'local providers only')
    .option('--json', 'one JSON line per format')
    .option('--opf-name <template>', 'OPF file name, e.g. {asin}.opf (default: config bridge.opfFileName)')
    .action(async (folder: string, options: ExportOptions, command: Command) => {
      // Unknown formats fail before anything is looked up or written.
      const registry = createDefaultExporters({ only: options.format.split(',') });
      const { config, logger } = loadCliEnv(command);
      const itemDir = path.resolve(folder);
      const outDir = path.resolve(options.out ?? folder);
      const runtime = await createRuntime(config, logger, { offline: Boolean(options.offline) });
      try {
        const result = await runtime.aggregator.aggregate(await contextFromFolder(itemDir));
        const audioFiles = relativeTo(outDir, itemDir, await listAudioFiles(itemDir));
        const base: ExportContext = { audioFiles, result };
        let failed = 0;
        for (const exporter of registry.all()) {
          const ctx = { ...base, options: exporterOptions(exporter, config, options) };
          const report = await exportOne(exporter, result, outDir, ctx, options, runtime.events);
          if (report.status === 'failed') failed++;
          printReport(report, options);
        }
        if (failed) process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    });
}

function exporterOptions(
  exporter: MetadataExporter,
  config: Config,
  options: ExportOptions,
): Record<string, unknown> {
  if (exporter.name !== 'opf') return {};
  return { fileName: options.opfName ?? config.bridge.opfFileName };
}

/** Renders (and unless dry-run writes) one format; a failure is reported, never thrown, so others still run. */
async function exportOne(
  exporter: MetadataExporter,
  result: AggregatedResult,
  outDir: string,
  ctx: ExportContext,
  options: ExportOptions,
  events: EventBus,
): Promise<ExportReport> {
  try {
    if (options.dryRun) {
      const target = assertInside(outDir, exporter.outputPath(outDir, result.metadata, ctx));
      const rendered = exporter.render(result.metadata, ctx);
      const content = typeof rendered === 'string' ? rendered : Buffer.from(rendered).toString('utf8');
      return {
        format: exporter.name,
        path: target,
        bytes: Buffer.byteLength(content),
        status: 'dry-run',
        content,
      };
    }
    const written = await writeExport(exporter, result.metadata, outDir, { ctx, events });
    const { size: bytes } = await stat(written);
    return { format: exporter.name, path: written, bytes, status: 'written' };
  } catch (error) {
    return { format: exporter.name, status: 'failed', error: (error as Error).message };
  }
}

function printReport(report: ExportReport, options: ExportOptions): void {
  if (options.json) {
    printJsonLine(report);
    return;
  }
  if (report.status === 'failed') {
    process.stderr.write(`${report.format}: FAILED — ${report.error}\n`);
    return;
  }
  const verb = report.status === 'dry-run' ? 'would write' : 'wrote';
  process.stdout.write(`${report.format}: ${verb} ${report.path} (${report.bytes} bytes)\n`);
  if (report.status === 'dry-run' && report.content !== undefined) {
    process.stdout.write(`${report.content.replace(/\n?$/, '\n')}\n`);
  }
}
