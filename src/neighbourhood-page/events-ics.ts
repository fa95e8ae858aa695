/**
 * iCalendar files for a neighbourhood's events, made with the `ics` package.
 * Upstream times are London wall-clock times without a zone; they are written
 * as UTC instants so a calendar anywhere shows the meeting at the right moment.
 */
import { createHash } from 'node:crypto';
import { createEvents, type EventAttributes } from 'ics';
import type { NeighbourhoodEvent } from '../neighbourhoods/neighbourhood.types.ts';
import { londonWallClockToEpoch } from '../neighbourhoods/london-time.ts';
import { htmlToParagraphs, htmlToText } from './text.ts';

/**
 * A stable id for an event from what identifies it to a person (when and what),
 * since upstream gives events no id and their list position shifts as they pass.
 */
export function eventId(e: Pick<NeighbourhoodEvent, 'start_date' | 'title'>): string {
  return createHash('sha256').update(`${e.start_date}\n${e.title}`).digest('hex').slice(0, 16);
}

/** What a calendar file needs to know beyond the events themselves. */
export interface CalendarContext {
  forceId: string;
  neighbourhoodId: string;
  neighbourhoodName: string;
  /** Absolute URL of the neighbourhood page, for the event's URL field; null when unknown. */
  pageUrl: string | null;
}

function toAttributes(e: NeighbourhoodEvent, context: CalendarContext): EventAttributes | null {
  const start = londonWallClockToEpoch(e.start_date);
  if (start === null) return null;
  const endParsed = e.end_date ? londonWallClockToEpoch(e.end_date) : null;
  // An event without an end (or ending before it starts) is given an hour, as calendars expect an end.
  const end = endParsed !== null && endParsed > start ? endParsed : start + 60 * 60 * 1000;
  const description = [...(e.type ? [htmlToText(e.type)] : []), ...htmlToParagraphs(e.description), ...(e.contact_details.email ? [`Contact: ${e.contact_details.email}`] : [])].join('\n\n');
  return {
    uid: `${eventId(e)}-${context.forceId}-${context.neighbourhoodId}@safe-communities`.replace(/[^A-Za-z0-9@.-]/g, '-'),
    title: htmlToText(e.title),
    description: description || undefined,
    location: e.address ? htmlToText(e.address) : undefined,
    start,
    startInputType: 'utc',
    startOutputType: 'utc',
    end,
    endInputType: 'utc',
    endOutputType: 'utc',
    ...(context.pageUrl ? { url: context.pageUrl } : {}),
  };
}

/** One VCALENDAR holding every given event. Throws only if the library rejects an event we built. */
export function eventsCalendar(events: readonly NeighbourhoodEvent[], context: CalendarContext): string {
  const attributes = events.map((e) => toAttributes(e, context)).filter((a): a is EventAttributes => a !== null);
  const { error, value } = createEvents(attributes, { productId: 'safe-communities/neighbourhood-events', calName: `${context.neighbourhoodName} police events` });
  if (error || value === null) throw error ?? new Error('ics produced no calendar');
  return value;
}

/** A file name for the calendar: the ids with anything unsafe in a header replaced. */
export function calendarFileName(...parts: string[]): string {
  return `${parts.join('-').replace(/[^A-Za-z0-9._-]+/g, '-')}.ics`;
}
