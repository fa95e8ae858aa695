/**
 * Shapes outbox rows for the administrator's pages and the development inbox: times
 * in UK time, a coloured tag per status, and plain-text bodies as paragraphs whose
 * links are either clickable (development) or hidden (administrators in production).
 */
import { OUTBOX_STATUSES, type OutboxStatus, type OutboxSummary } from './outbox.repository.ts';

const timeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Europe/London' });

/** "1 May 2026, 09:00:00" in UK time; '' for none. */
export function formatTime(iso: string | null): string {
  return iso === null ? '' : timeFormat.format(new Date(iso));
}

const TAGS: Record<OutboxStatus, { text: string; classes: string }> = {
  queued: { text: 'Queued', classes: 'govuk-tag--blue' },
  sending: { text: 'Sending', classes: 'govuk-tag--yellow' },
  sent: { text: 'Sent', classes: 'govuk-tag--green' },
  dead: { text: 'Gave up', classes: 'govuk-tag--red' },
};

/** govukTag parameters for a status. */
export function statusTag(status: OutboxStatus): { text: string; classes: string } {
  return TAGS[status] ?? { text: status, classes: 'govuk-tag--grey' };
}

export const STATUS_OPTIONS = OUTBOX_STATUSES.map((status) => ({ value: status, text: TAGS[status].text }));

export interface OutboxRowView {
  id: number;
  to: string;
  subject: string;
  template: string;
  tag: { text: string; classes: string };
  status: string;
  attempts: number;
  created: string;
  /** Empty unless it will be tried again. */
  nextAttempt: string;
  sent: string;
  lastError: string;
}

export function outboxRow(row: OutboxSummary): OutboxRowView {
  return {
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    template: row.template,
    tag: statusTag(row.status),
    status: row.status,
    attempts: row.attempts,
    created: formatTime(row.created_at),
    nextAttempt: row.status === 'queued' ? formatTime(row.next_attempt_at) : '',
    sent: formatTime(row.sent_at),
    lastError: row.last_error ?? '',
  };
}

/** A run of text, or a link when `href` is set. */
export type TextSegment = { text: string; href?: string };
/** Paragraphs, each a list of lines, each a list of segments. */
export type TextBody = TextSegment[][][];

const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;

function withLinks(line: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of line.matchAll(URL_PATTERN)) {
    // Sentence punctuation after an address is not part of it.
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    const start = match.index;
    if (start > last) segments.push({ text: line.slice(last, start) });
    segments.push({ text: url, href: url });
    last = start + url.length;
  }
  if (last < line.length) segments.push({ text: line.slice(last) });
  return segments;
}

/** The text body as paragraphs with clickable http(s) links. */
export function textWithLinks(text: string): TextBody {
  return paragraphs(text).map((lines) => lines.map(withLinks));
}

export const HIDDEN_LINK = '[link hidden]';

/** The text body as paragraphs with every web address replaced by HIDDEN_LINK. */
export function textWithoutLinks(text: string): TextBody {
  return paragraphs(text.replace(URL_PATTERN, HIDDEN_LINK)).map((lines) => lines.map((line) => [{ text: line }]));
}

function paragraphs(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .map((block) => block.split('\n'))
    .filter((lines) => lines.some((line) => line.trim() !== ''));
}
