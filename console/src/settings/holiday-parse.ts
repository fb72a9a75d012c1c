/**
 * Reads a pasted or uploaded holiday list into ISO dates, before anything is sent: an iCalendar
 * file (each VEVENT's all-day DTSTART..DTEND, end exclusive, as calendars export public holidays)
 * or any text or CSV with one date per line (2026-10-01, 2026/10/01, 20261001). Lines that hold
 * something but no valid calendar date are returned so staff see what was not understood.
 */

/** Longest single event expanded (a holiday run); longer ones are refused rather than looped over. */
const MAX_SPAN_DAYS = 31;
/** Input lines read at most, so a wrong file cannot freeze the tab. */
const MAX_LINES = 5000;

export type Rejected = { line: number; text: string };
export type ParsedHolidays = { dates: string[]; rejected: Rejected[] };

const DAY = 86_400_000;

/** `y-m-d` as an ISO date when it is a real calendar day, else null (2026-02-30 is not). */
function isoDate(y: string, m: string, d: string): string | null {
  const t = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const iso = new Date(t).toISOString().slice(0, 10);
  return iso === `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` ? iso : null;
}

const dateToken = /(?<!\d)(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|(\d{2})(\d{2}))(?!\d)/;

function dateIn(text: string): string | null | undefined {
  const m = dateToken.exec(text);
  if (!m) return undefined;
  return m[3] ? isoDate(m[1]!, m[3], m[4]!) : isoDate(m[1]!, m[5]!, m[6]!);
}

function parseICalendar(lines: string[]): ParsedHolidays {
  const dates = new Set<string>();
  const rejected: Rejected[] = [];
  let start: { date: string | null; line: number; text: string } | null = null;
  let end: string | null = null;
  lines.forEach((text, i) => {
    const [name = '', value = ''] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
    const prop = name.split(';')[0]!.toUpperCase();
    if (text.toUpperCase() === 'BEGIN:VEVENT') [start, end] = [null, null];
    else if (prop === 'DTSTART') start = { date: dateIn(value) ?? null, line: i + 1, text };
    else if (prop === 'DTEND') end = dateIn(value) ?? null;
    else if (text.toUpperCase() === 'END:VEVENT' && start) {
      const { date, line, text: startText } = start as { date: string | null; line: number; text: string };
      if (!date) return void rejected.push({ line, text: startText });
      const from = Date.parse(date);
      const to = end ? Date.parse(end) : from + DAY;
      if (to <= from || (to - from) / DAY > MAX_SPAN_DAYS) return void rejected.push({ line, text: startText });
      for (let t = from; t < to; t += DAY) dates.add(new Date(t).toISOString().slice(0, 10));
    }
  });
  return { dates: [...dates].sort(), rejected };
}

function parseLines(lines: string[]): ParsedHolidays {
  const dates = new Set<string>();
  const rejected: Rejected[] = [];
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    const date = dateIn(text);
    if (date) dates.add(date);
    // A first line without any date is a CSV header; later ones are reported.
    else if (date === null || i > 0) rejected.push({ line: i + 1, text: text.trim() });
  });
  return { dates: [...dates].sort(), rejected };
}

export function parseHolidays(input: string): ParsedHolidays {
  // iCalendar folds long lines: a line starting with a space continues the previous one.
  const lines = input
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .slice(0, MAX_LINES);
  const isCalendar = lines.some((l) => l.trim().toUpperCase() === 'BEGIN:VCALENDAR');
  return isCalendar ? parseICalendar(lines.map((l) => l.trim())) : parseLines(lines);
}
