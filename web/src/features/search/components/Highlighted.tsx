import type { TextPart } from '../api/search';

/** Text from the server with the parts that matched the query marked. */
export function Highlighted({ parts, fallback }: { parts: TextPart[]; fallback?: string }) {
  if (parts.length === 0) return <>{fallback ?? ''}</>;
  return (
    <>
      {parts.map((p, i) =>
        p.hit ? (
          <mark key={i} className="rounded-sm bg-amber-200/70 px-px text-inherit" data-testid="search-hit">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
