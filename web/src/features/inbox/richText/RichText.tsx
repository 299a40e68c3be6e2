import { Fragment } from 'react';
import { cn } from '@/lib/cn';
import { parseRichText, type RichNode } from './parse';

/** Message text with WhatsApp formatting and clickable http(s) links, built as React nodes (never HTML). */
export function RichText({ text, onDark = false }: { text: string; onDark?: boolean }) {
  return <>{render(parseRichText(text), onDark)}</>;
}

function render(nodes: RichNode[], onDark: boolean) {
  return nodes.map((node, i) => {
    switch (node.kind) {
      case 'text':
        return <Fragment key={i}>{node.text}</Fragment>;
      case 'link':
        return (
          <a
            key={i}
            href={node.href}
            target="_blank"
            rel="noopener noreferrer"
            className={cn('break-all underline underline-offset-2', onDark ? 'text-white' : 'text-brand-700 hover:text-brand-800')}
          >
            {node.text}
          </a>
        );
      case 'mono':
        return (
          <code key={i} className={cn('rounded px-1 font-mono text-[13px]', onDark ? 'bg-white/15' : 'bg-slate-100')}>
            {node.text}
          </code>
        );
      case 'bold':
        return <strong key={i}>{render(node.children, onDark)}</strong>;
      case 'italic':
        return <em key={i}>{render(node.children, onDark)}</em>;
      case 'strike':
        return <s key={i}>{render(node.children, onDark)}</s>;
    }
  });
}
