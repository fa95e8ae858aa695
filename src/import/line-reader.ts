/**
 * Cuts a CSV file's bytes into lines before csv-parse sees them, so a record is
 * never more than one line. data.police.uk never breaks a line inside a field
 * (no published file does), so a quote left open is a bad line, and it must
 * spoil that line only: csv-parse, left to itself, reads on through the lines
 * after it looking for the closing quote, and holds all it reads.
 *
 * A line longer than MAX_LINE_BYTES is dropped as it streams past, never held,
 * so memory stays flat whatever the input. Runs of lines without a quote go to
 * the parser in one call (the fast path, thousands of rows at a time); a line
 * with a quote goes alone, and only once its quotes are checked here: csv-parse
 * keeps no usable state after an error, and a new parser for every bad line
 * would cost a tenth of a millisecond each.
 */

/**
 * The longest line read, in bytes without its line end: fifty times the longest
 * published one (324 bytes), and small enough that every field fits in a
 * PostgreSQL index entry.
 */
export const MAX_LINE_BYTES = 16 * 1024;

const NL = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const NUL = 0x00;
const COMMA = 0x2c;

export interface LineSink {
  /** `count` whole lines from line `first`, held in buf[from, to), none empty or holding a quote or a NUL byte. */
  plain(buf: Buffer, from: number, to: number, first: number, count: number): void;
  /** One line holding quotes, all well placed; line end excluded. */
  quoted(buf: Buffer, from: number, to: number, line: number): void;
  /** A line that cannot be a row, and why. */
  bad(line: number, reason: string): void;
}

export class LineReader {
  private line = 1;
  /** The start of a line whose end has not arrived yet (copied: at most MAX_LINE_BYTES). */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Inside a line over the limit: its bytes are dropped until its end. */
  private skipping = false;

  constructor(private readonly sink: LineSink) {}

  push(chunk: Buffer): void {
    let start = 0;
    if (this.skipping || this.carryBytes > 0) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.hold(chunk);
        return;
      }
      if (this.skipping || this.carryBytes + nl > MAX_LINE_BYTES) {
        this.dropCarry();
        this.skipping = false;
        this.sink.bad(this.line++, tooLong);
      } else {
        const joined = Buffer.concat([...this.carry, chunk.subarray(0, nl + 1)]);
        this.dropCarry();
        this.lines(joined, 0, joined.length);
      }
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last >= start) {
      this.lines(chunk, start, last + 1);
      start = last + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  /** The last line, when the file does not end with a line end. */
  end(): void {
    if (this.skipping) {
      this.skipping = false;
      this.sink.bad(this.line++, tooLong);
    } else if (this.carryBytes > 0) {
      const joined = Buffer.concat(this.carry);
      this.dropCarry();
      this.lines(joined, 0, joined.length);
    }
  }

  private hold(part: Buffer): void {
    if (this.skipping) return;
    if (this.carryBytes + part.length > MAX_LINE_BYTES) {
      this.dropCarry();
      this.skipping = true;
      return;
    }
    // A copy, so a few bytes kept do not keep a whole chunk alive.
    this.carry.push(Buffer.from(part));
    this.carryBytes += part.length;
  }

  private dropCarry(): void {
    this.carry = [];
    this.carryBytes = 0;
  }

  /** Sorts the lines of buf[from, to); each ends with `\n` except perhaps the file's last. */
  private lines(buf: Buffer, from: number, to: number): void {
    const sink = this.sink;
    let runStart = 0;
    let runEnd = 0;
    let runLine = 0;
    let runCount = 0;
    const flush = () => {
      if (runCount > 0) sink.plain(buf, runStart, runEnd, runLine, runCount);
      runCount = 0;
    };
    let pos = from;
    if (this.line === 1) pos = this.skipByteOrderMark(buf, pos);
    // Where the next quote and NUL are, looked up again only once passed: one scan of the chunk each.
    let quote = nextIndex(buf, QUOTE, pos);
    let nul = nextIndex(buf, NUL, pos);
    while (pos < to) {
      const nl = buf.indexOf(NL, pos);
      const terminated = nl >= 0 && nl < to;
      const end = terminated ? nl : to;
      const next = terminated ? nl + 1 : to;
      const contentEnd = end > pos && buf[end - 1] === CR ? end - 1 : end;
      const line = this.line++;
      if (line === 1 && this.utf16(buf, pos)) {
        flush();
        sink.bad(line, 'the file is UTF-16 encoded; data.police.uk files are UTF-8');
      } else if (end - pos > MAX_LINE_BYTES) {
        flush();
        sink.bad(line, tooLong);
      } else if (contentEnd === pos) {
        flush(); // an empty line, skipped
      } else if (nul < end) {
        flush();
        sink.bad(line, 'the line holds a NUL byte (is the file UTF-16 or binary?)');
      } else if (quote < end) {
        flush();
        const problem = quoteProblem(buf, pos, contentEnd);
        if (problem) sink.bad(line, problem);
        else sink.quoted(buf, pos, contentEnd, line);
      } else {
        if (runCount === 0) {
          runStart = pos;
          runLine = line;
        }
        runCount += 1;
        // The file's last line may end with a lone CR, which is no part of its last field.
        runEnd = terminated ? next : contentEnd;
      }
      if (quote < next) quote = nextIndex(buf, QUOTE, next);
      if (nul < next) nul = nextIndex(buf, NUL, next);
      pos = next;
    }
    flush();
  }

  private skipByteOrderMark(buf: Buffer, pos: number): number {
    return buf[pos] === 0xef && buf[pos + 1] === 0xbb && buf[pos + 2] === 0xbf ? pos + 3 : pos;
  }

  private utf16(buf: Buffer, pos: number): boolean {
    return (buf[pos] === 0xff && buf[pos + 1] === 0xfe) || (buf[pos] === 0xfe && buf[pos + 1] === 0xff);
  }
}

/**
 * What is wrong with the quotes of buf[from, to), one line, as RFC 4180 has
 * them: a quoted field starts with a quote, doubles the quotes inside it, and
 * ends with a quote followed by a comma or the end of the line.
 */
export function quoteProblem(buf: Buffer, from: number, to: number): string | undefined {
  let i = from;
  while (i <= to) {
    if (buf[i] === QUOTE && i < to) {
      let close = buf.indexOf(QUOTE, i + 1);
      while (close >= 0 && close < to - 1 && buf[close + 1] === QUOTE) close = buf.indexOf(QUOTE, close + 2);
      if (close < 0 || close >= to) return 'a quote is opened and not closed on this line';
      if (close + 1 < to && buf[close + 1] !== COMMA) return 'a closing quote is followed by something other than a comma';
      i = close + 2;
    } else {
      const comma = buf.indexOf(COMMA, i);
      const fieldEnd = comma < 0 || comma > to ? to : comma;
      const stray = buf.indexOf(QUOTE, i);
      if (stray >= 0 && stray < fieldEnd) return 'a quote inside a field that does not start with one';
      i = fieldEnd + 1;
    }
  }
  return undefined;
}

const tooLong = `the line is longer than ${MAX_LINE_BYTES} bytes`;

function nextIndex(buf: Buffer, byte: number, from: number): number {
  const i = buf.indexOf(byte, from);
  return i < 0 ? Infinity : i;
}
