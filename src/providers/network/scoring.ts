/**
 * The one seam between the providers and the matching engine: providers score candidates and
 * build search queries only through these, so the matching rules live in src/matching alone.
 */

export {
  editionCheckQuery,
  fallbackQueries,
  type SearchQuery,
  searchInTurn,
  searchQueries,
} from '../../matching/queries.js';
export { type CandidateScore, scoreCandidate } from '../../matching/score.js';
