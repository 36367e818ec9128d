import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** 1 December 2566, 08:00 in Bangkok: the start of the seeded FY2567 campaign. */
export const LOCAL_CLOCK_START = '2023-12-01T08:00:00+07:00';

export type LocalClock = { now: () => Date; set: (to: Date) => void };

/**
 * A movable clock. With a file it survives restarts (`.local/clock.json`); it only ever moves
 * when told to, so the same dates fire the same schedules every run.
 */
export const createLocalClock = ({
  file,
  start = LOCAL_CLOCK_START,
}: {
  file?: string;
  start?: string;
} = {}): LocalClock => {
  let current = new Date(start);
  if (file) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { now?: string };
      if (saved.now && !Number.isNaN(Date.parse(saved.now))) current = new Date(saved.now);
    } catch {
      // No clock saved yet: the campaign starts at the beginning.
    }
  }
  const save = () => {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ now: current.toISOString() }, null, 2)}\n`);
  };
  save();
  return {
    now: () => new Date(current.getTime()),
    set: (to: Date) => {
      current = new Date(to.getTime());
      save();
    },
  };
};

/**
 * Where `npm run clock` moves the clock: `set 2024-02-15` (12:00 Bangkok that day, after its
 * 08:30 schedules), `set 2024-02-15T08:00:00+07:00` (exactly that instant) or `advance 7d` / `12h` / `30m`.
 */
export const SET_DATE_TIME = '12:00';

export const clockTarget = (current: Date, command: string, value: string): Date => {
  if (command === 'set') {
    // A bare date means the end of that working morning, so the day's 08:30 schedules have fired.
    const instant = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T${SET_DATE_TIME}:00+07:00` : value;
    const to = new Date(instant);
    if (Number.isNaN(to.getTime())) throw new RangeError(`not a date: ${value}`);
    return to;
  }
  if (command === 'advance') {
    const match = /^(\d+)([dhm])$/.exec(value);
    if (!match) throw new RangeError(`use e.g. 7d, 12h or 30m, not ${value}`);
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2] as 'd' | 'h' | 'm'];
    return new Date(current.getTime() + Number(match[1]) * unit);
  }
  throw new RangeError(`unknown clock command ${command}; use set or advance`);
};
