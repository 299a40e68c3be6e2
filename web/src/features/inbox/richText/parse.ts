/**
 * WhatsApp-style message text as a tree, never as HTML: ```mono``` blocks, *bold*,
 * _italic_, ~strike~ and http(s) links. Markers only count at word edges, as WhatsApp
 * reads them (`2*3*4` stays text), and nothing but http and https ever becomes a link.
 */
export type RichNode =
  | { kind: 'text'; text: string }
  | { kind: 'link'; href: string; text: string }
  | { kind: 'mono'; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: RichNode[] };

const STYLE_OF = { '*': 'bold', _: 'italic', '~': 'strike' } as const;
type Marker = keyof typeof STYLE_OF;

/** Characters that may sit around a marker (a word edge). */
const EDGE = /[\s.,;:!?()[\]{}"'«»“”‘’-]/;
const URL_PATTERN = /https?:\/\/[^\s<>"'`]+/iy;

function isEdge(ch: string | undefined): boolean {
  return ch === undefined || EDGE.test(ch);
}

/** A link ends before trailing punctuation, and before a `)` it did not open. */
function trimUrl(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (last !== undefined && '.,;:!?'.includes(last)) end -= 1;
    else if (last === ')' && (url.slice(0, end).match(/\(/g)?.length ?? 0) < (url.slice(0, end).match(/\)/g)?.length ?? 0)) end -= 1;
    else break;
  }
  return url.slice(0, end);
}

/** Whether `href` may be followed: an absolute http or https URL. */
export function isSafeHref(href: string): boolean {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function pushText(out: RichNode[], text: string) {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last?.kind === 'text') last.text += text;
  else out.push({ kind: 'text', text });
}

/** Where a marker opened at `start` closes on the same line, or -1. */
function closingOf(text: string, start: number, marker: Marker): number {
  if (text[start + 1] === undefined || /\s/.test(text[start + 1] ?? '')) return -1;
  for (let i = start + 2; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') return -1;
    if (ch === marker && !/\s/.test(text[i - 1] ?? '') && isEdge(text[i + 1])) return i;
  }
  return -1;
}

function parseInline(text: string): RichNode[] {
  const out: RichNode[] = [];
  let i = 0;
  let plain = '';
  const flush = () => {
    pushText(out, plain);
    plain = '';
  };
  while (i < text.length) {
    const ch = text[i] ?? '';
    if ((ch === 'h' || ch === 'H') && isEdge(text[i - 1])) {
      URL_PATTERN.lastIndex = i;
      const match = URL_PATTERN.exec(text);
      if (match && match.index === i) {
        const href = trimUrl(match[0]);
        if (isSafeHref(href)) {
          flush();
          out.push({ kind: 'link', href, text: href });
          i += href.length;
          continue;
        }
      }
    }
    if (ch in STYLE_OF && isEdge(text[i - 1])) {
      const marker = ch as Marker;
      const end = closingOf(text, i, marker);
      if (end > i + 1) {
        flush();
        out.push({ kind: STYLE_OF[marker], children: parseInline(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    plain += ch;
    i += 1;
  }
  flush();
  return out;
}

/** Parses a whole message: ```blocks``` first (nothing inside them is formatted). */
export function parseRichText(text: string): RichNode[] {
  const out: RichNode[] = [];
  const parts = text.split('```');
  // An odd number of fences leaves the last one unclosed: it is text.
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  parts.forEach((part, index) => {
    if (index % 2 === 1 && index < closed) {
      out.push({ kind: 'mono', text: part });
      return;
    }
    const source = index % 2 === 1 ? '```' + part : part;
    for (const node of parseInline(source)) {
      if (node.kind === 'text') pushText(out, node.text);
      else out.push(node);
    }
  });
  return out;
}
