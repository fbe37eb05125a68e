import type { Chapter } from '../../../domain/metadata.js';
import type { AudnexusChapters } from './schema.js';

/** What the chapter check decided: chapters to apply (or none) and why. */
export interface ChapterCheck {
  chapters: Chapter[] | undefined;
  /** How the Audible timeline was fitted to the file. */
  fit: 'as-is' | 'intro-stripped' | 'outro-stripped' | 'branding-stripped' | 'unchecked' | 'rejected';
  notes: string[];
  /** Lower when Audible says the offsets may not match (`isAccurate: false`). */
  confidence: number;
}

const fmt = (s: number) =>
  `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m${String(Math.round(s % 60)).padStart(2, '0')}s`;

/** Allowed gap between the Audible runtime and the file: 3 s or 0.1 %, whichever is larger. */
export function toleranceFor(seconds: number): number {
  return Math.max(3, seconds * 0.001);
}

function shifted(source: AudnexusChapters, shiftSec: number, fileSec: number | undefined): Chapter[] {
  const list = source.chapters.map((c) => ({
    start: Math.max(0, c.startOffsetMs / 1000 - shiftSec),
    end: Math.max(0, (c.startOffsetMs + c.lengthMs) / 1000 - shiftSec),
    title: c.title.trim() || 'Chapter',
  }));
  const first = list[0];
  if (first) first.start = 0;
  const last = list.at(-1);
  if (last && fileSec !== undefined) last.end = fileSec;
  return list.filter((c) => c.end > c.start);
}

/**
 * Fits Audnexus chapters to the item's real duration. Audible's timeline includes the brand intro
 * ("This is Audible") and outro; files whose branding was stripped are shorter by exactly those
 * lengths, so chapters are shifted by the intro. Chapters that fit no layout are not applied.
 */
export function checkChapters(source: AudnexusChapters, fileSeconds: number | undefined): ChapterCheck {
  const notes: string[] = [];
  const confidence = source.isAccurate === false ? 0.6 : 0.95;
  if (source.isAccurate === false) notes.push('Audible marks these chapter offsets as possibly inaccurate');
  if (!source.chapters.length)
    return { chapters: undefined, fit: 'rejected', notes: ['Audnexus returned no chapters'], confidence };
  const runtime = source.runtimeLengthMs / 1000;
  const intro = source.brandIntroDurationMs / 1000;
  const outro = source.brandOutroDurationMs / 1000;
  if (fileSeconds === undefined || fileSeconds <= 0) {
    notes.push('chapters not checked: the item duration is unknown');
    return {
      chapters: shifted(source, 0, undefined),
      fit: 'unchecked',
      notes,
      confidence: Math.min(confidence, 0.7),
    };
  }
  const tol = toleranceFor(runtime);
  const layouts: { fit: ChapterCheck['fit']; expected: number; shift: number }[] = [
    { fit: 'as-is', expected: runtime, shift: 0 },
    { fit: 'branding-stripped', expected: runtime - intro - outro, shift: intro },
    { fit: 'intro-stripped', expected: runtime - intro, shift: intro },
    { fit: 'outro-stripped', expected: runtime - outro, shift: 0 },
  ];
  // The closest layout wins: a long book's tolerance can be wider than the branding itself.
  const layout = layouts
    .filter((l) => l.fit === 'as-is' || l.expected !== runtime)
    .filter((l) => Math.abs(fileSeconds - l.expected) <= tol)
    .sort((a, b) => Math.abs(fileSeconds - a.expected) - Math.abs(fileSeconds - b.expected))[0];
  if (!layout) {
    notes.push(
      `chapters not applied: Audible's chapters span ${fmt(runtime)} but the file is ${fmt(fileSeconds)} (more than ${Math.round(tol)} s apart, also with the ${intro.toFixed(1)} s intro / ${outro.toFixed(1)} s outro removed)`,
    );
    return { chapters: undefined, fit: 'rejected', notes, confidence };
  }
  if (layout.shift > 0)
    notes.push(
      `chapters shifted by ${layout.shift.toFixed(3)} s: the Audible brand intro is not in the file`,
    );
  return { chapters: shifted(source, layout.shift, fileSeconds), fit: layout.fit, notes, confidence };
}
