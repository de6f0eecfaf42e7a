import { Fragment } from 'react';

/** The text with each search term marked (case-insensitive, as the search matches). */
export function Highlight({ text, terms }: { text: string; terms: string[] }) {
  const wanted = terms.map((term) => term.trim()).filter(Boolean);
  if (wanted.length === 0) return <>{text}</>;
  const escaped = wanted.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).sort((a, b) => b.length - a.length);
  const parts = text.split(new RegExp(`(${escaped.join('|')})`, 'gi'));
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? <mark key={index}>{part}</mark> : <Fragment key={index}>{part}</Fragment>,
      )}
    </>
  );
}

export const searchTerms = (q: string | null | undefined) => (q ?? '').split(/\s+/).filter(Boolean);
