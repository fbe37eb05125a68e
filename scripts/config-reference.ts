/**
 * Prints the configuration reference (every key, its type and default) generated from the zod
 * schema, as the Markdown table README.md embeds between the config-reference markers.
 * `tsx scripts/config-reference.ts --write` updates README.md in place; a test fails when the
 * README is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigSchema } from '../src/config/schema.js';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  default?: unknown;
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
};

export const BEGIN = '<!-- config-reference:begin -->';
export const END = '<!-- config-reference:end -->';

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.type === 'array') return `${s.items ? typeOf(s.items) : 'any'}[]`;
  if (s.type === 'object' && !s.properties) return 'map';
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

function rows(schema: JsonSchema, prefix: string, out: string[]): void {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (child.type === 'object' && child.properties) {
      // An object whose default is not built from its children's defaults (e.g. a rate limit).
      if (child.default && Object.keys(child.default).length) {
        out.push(`| \`${name}\` | object | \`${JSON.stringify(child.default)}\` |`);
      }
      rows(child, name, out);
      continue;
    }
    if (child.type === 'array' && child.items?.properties) {
      out.push(`| \`${name}\` | list of objects | \`${JSON.stringify(child.default ?? [])}\` |`);
      rows(child.items, `${name}[]`, out);
      continue;
    }
    const def = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
    out.push(`| \`${name}\` | ${typeOf(child)} | ${def} |`);
  }
}

export function configReference(): string {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const out = ['| key | type | default |', '|---|---|---|'];
  rows(schema, '', out);
  return out.join('\n');
}

export function embedIn(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README.md lacks the config-reference markers');
  return `${readme.slice(0, start + BEGIN.length)}\n${configReference()}\n${readme.slice(end)}`;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]);
if (isMain) {
  if (process.argv.includes('--write')) {
    const readmePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
    writeFileSync(readmePath, embedIn(readFileSync(readmePath, 'utf8')));
  } else {
    console.log(configReference());
  }
}
