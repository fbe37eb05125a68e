import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { LibraryTidy } from '../../bridge/reports/library-tidy.js';
import { describeIssue } from '../../config/unknown-keys.js';
import { InvalidRequestError } from '../../errors.js';

const LibraryId = z
  .string({ error: 'give the ABS library id' })
  .regex(/^[\w.-]{1,128}$/, 'library id: letters, digits, dot, dash or underscore');

const CompletenessQuery = z.strictObject({
  library: LibraryId,
  /** `true`: only books scoring below 100. */
  incomplete: z.enum(['true', 'false'], { error: 'incomplete is true or false' }).optional(),
  /** Only books missing this field (see COMPLETENESS_FIELDS; checked by the tidy service). */
  missing: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
// The rules themselves are checked against the config's `genres` schema by the tidy service.
const PreviewBody = z.strictObject({ libraryId: LibraryId, rules: z.unknown() });
const TurnOnBody = z.strictObject({ rules: z.unknown() });

/**
 * Outside input checked with zod; a failure is a 400 (InvalidRequestError) naming every bad field,
 * an unknown one with the key it probably meant.
 */
function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => describeIssue(schema, issue));
  throw new InvalidRequestError(what, issues);
}

/**
 * Completeness and genre rules for the page: `GET /api/completeness`, `GET /api/genre-rules`,
 * `POST /api/genre-rules/preview` (changes nothing) and `POST /api/genre-rules` (turns them on).
 */
export function registerTidyRoutes(app: FastifyInstance, tidy: LibraryTidy): void {
  app.get('/api/completeness', async (request) => {
    const q = parse(CompletenessQuery, request.query, 'query');
    return tidy.completeness(q.library, {
      incomplete: q.incomplete === 'true',
      ...(q.missing ? { missing: q.missing } : {}),
      limit: q.limit,
      offset: q.offset,
    });
  });

  app.get('/api/genre-rules', async () => tidy.genreRules());

  app.post('/api/genre-rules/preview', async (request) => {
    const body = parse(PreviewBody, request.body, 'body');
    return tidy.previewGenreRules(body.libraryId, body.rules ?? {});
  });

  app.post('/api/genre-rules', async (request) => {
    const body = parse(TurnOnBody, request.body, 'body');
    return tidy.turnOnGenreRules(body.rules ?? {});
  });
}
