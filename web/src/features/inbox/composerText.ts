/** The composer's textarea id: `r` focuses it. */
export const COMPOSER_ID = 'composer-input';

/** The `/word` being typed at the caret, if any: where it starts and what follows the slash. */
export function slashToken(value: string, caret: number): { start: number; term: string } | null {
  const before = value.slice(0, caret);
  const m = /(^|\s)\/([^\s/]*)$/.exec(before);
  if (m === null) return null;
  return { start: m.index + (m[1]?.length ?? 0), term: m[2] ?? '' };
}

