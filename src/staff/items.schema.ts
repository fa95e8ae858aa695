/**
 * What the priority, event and station forms accept, with GOV.UK messages. Each
 * parse turns typed text into the stored (upstream) form.
 */
import { z } from 'zod';
import type { NeighbourhoodEvent, NeighbourhoodLocation, NeighbourhoodPriority } from '../neighbourhoods/neighbourhood.types.ts';
import { londonWallClockToEpoch } from '../neighbourhoods/london-time.ts';
import { dateField, dateParts, optionalPhone, optionalPostcode, optionalText, requiredText, timeField } from '../site/form-rules.ts';
import { parseForm, type FormFields, type Parsed } from '../site/forms.ts';
import { storedLine, storedParagraphs } from './stored-text.ts';

/** `YYYY-MM-DD` and `HH:MM` as upstream's wall-clock `YYYY-MM-DDTHH:MM:00` (UK local time). */
function wallClock(date: string, time: string): string {
  return `${date}T${time}:00`;
}

/** Epoch milliseconds of a UK wall-clock value, for comparing two of them across a clock change. */
function wallClockEpoch(value: string): number {
  return londonWallClockToEpoch(value) ?? NaN;
}

const prioritySchema = z
  .object({
    issue: requiredText('What people said', 2000, 'Enter what people raised with the team'),
    issueDate: dateField('Date raised', false),
    action: optionalText('What the team did', 2000),
    actionDate: dateField('Date of action', false),
  })
  .superRefine((p, ctx) => {
    if (p.actionDate && !p.action) ctx.addIssue({ code: 'custom', path: ['action'], message: 'Enter what the team did, or remove the date of action' });
    if (p.actionDate && p.issueDate && p.actionDate < p.issueDate) {
      ctx.addIssue({ code: 'custom', path: ['actionDate'], message: 'Date of action must be the same as or after the date raised' });
    }
  });

export const PRIORITY_DATE_FIELDS = ['issueDate', 'actionDate'];

export function parsePriority(fields: FormFields): Parsed<NeighbourhoodPriority> {
  const input = { ...fields, issueDate: dateParts(fields, 'issueDate'), actionDate: dateParts(fields, 'actionDate') };
  const parsed = parseForm(prioritySchema, input, { dateFields: PRIORITY_DATE_FIELDS });
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  return {
    ok: true,
    value: {
      issue: storedParagraphs(p.issue) ?? '',
      issue_date: p.issueDate ? `${p.issueDate}T00:00:00` : null,
      action: storedParagraphs(p.action),
      action_date: p.actionDate ? `${p.actionDate}T00:00:00` : null,
    },
  };
}

const eventSchema = z
  .object({
    title: requiredText('Title', 150, 'Enter a title'),
    type: optionalText('Type of event', 60),
    description: optionalText('Description', 2000),
    address: optionalText('Where', 300),
    startDate: dateField('Start date', true),
    startTime: timeField('Start time', true),
    endDate: dateField('End date', false),
    endTime: timeField('End time', false),
  })
  .superRefine((e, ctx) => {
    if (e.endDate && !e.endTime) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'Enter the end time' });
    const endDay = e.endDate ?? (e.endTime ? e.startDate : null);
    if (endDay && e.endTime && e.startDate && e.startTime) {
      if (!(wallClockEpoch(wallClock(endDay, e.endTime)) > wallClockEpoch(wallClock(e.startDate, e.startTime)))) {
        ctx.addIssue({ code: 'custom', path: [e.endDate ? 'endDate' : 'endTime'], message: 'The event must end after it starts' });
      }
    }
  });

export const EVENT_DATE_FIELDS = ['startDate', 'endDate'];

export function parseEvent(fields: FormFields): Parsed<NeighbourhoodEvent> {
  const input = { ...fields, startDate: dateParts(fields, 'startDate'), endDate: dateParts(fields, 'endDate') };
  const parsed = parseForm(eventSchema, input, { dateFields: EVENT_DATE_FIELDS });
  if (!parsed.ok) return parsed;
  const e = parsed.value;
  const endDay = e.endDate ?? (e.endTime ? e.startDate : null);
  return {
    ok: true,
    value: {
      title: storedLine(e.title),
      type: e.type ? storedLine(e.type) : null,
      description: storedParagraphs(e.description),
      address: e.address ? storedLine(e.address) : null,
      start_date: wallClock(e.startDate!, e.startTime!),
      end_date: endDay && e.endTime ? wallClock(endDay, e.endTime) : null,
      contact_details: {},
    },
  };
}

const stationSchema = z.object({
  name: requiredText('Name', 100, 'Enter the name of the station'),
  address: requiredText('Address', 300, 'Enter the address'),
  postcode: optionalPostcode,
  telephone: optionalPhone('Telephone number'),
  openingTimes: optionalText('Opening times', 1000),
});

export function parseStation(fields: FormFields): Parsed<NeighbourhoodLocation> {
  const parsed = parseForm(stationSchema, fields);
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  return {
    ok: true,
    value: {
      name: storedLine(s.name),
      type: 'station',
      address: storedLine(s.address),
      postcode: s.postcode || null,
      latitude: null,
      longitude: null,
      description: storedParagraphs(s.openingTimes),
      ...(s.telephone ? { telephone: s.telephone } : {}),
    },
  };
}
