/**
 * Staff type plain text; the store keeps text in upstream's form, which is HTML
 * (data.police.uk's bios, priorities and descriptions are HTML, names carry
 * `&amp;`). Typed text is escaped on the way in, so whatever is typed comes back
 * out of the public page's HTML-to-text step exactly as typed and is never markup.
 */
import { htmlToParagraphs, htmlToText } from '../neighbourhood-page/text.ts';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One line of typed text (a name, title or address) as stored. */
export function storedLine(text: string): string {
  return escape(text.replace(/\s+/g, ' ').trim());
}

/** Typed text of one or more lines as `<p>` paragraphs; null when nothing was typed. */
export function storedParagraphs(text: string): string | null {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '');
  return lines.length === 0 ? null : lines.map((l) => `<p>${escape(l)}</p>`).join('');
}

/** A stored line as the text to put back in a form field. */
export function typedLine(stored: string | null | undefined): string {
  return htmlToText(stored);
}

/** Stored paragraphs as the text to put back in a textarea, one paragraph a line. */
export function typedParagraphs(stored: string | null | undefined): string {
  return htmlToParagraphs(stored).join('\n');
}
