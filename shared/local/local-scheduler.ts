import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  bangkokInstant,
  type MilestoneInvocation,
  oneTimeInstant,
  type ScheduleDefinition,
  type SchedulePort,
} from '#domain/schedule-plan';
import { addDays } from '#domain/thai-date';
import type { LocalClock } from './clock.ts';

export type Firing = { at: Date; name: string; input: MilestoneInvocation };

/** The two recurring forms the plan uses: weekdays (`? * MON-FRI *`) and every day (`* * ? *`). */
const CRON = /^cron\((\d{1,2}) (\d{1,2}) (\? \* MON-FRI|\* \* \?) \*\)$/;

/** Every moment in (from, to] at which a definition fires, Bangkok wall time. */
export const firingsBetween = (definition: ScheduleDefinition, from: Date, to: Date): Date[] => {
  const once = oneTimeInstant(definition);
  if (once) return once > from && once <= to ? [once] : [];
  const cron = CRON.exec(definition.expression);
  if (!cron) return [];
  const time = `${cron[2]!.padStart(2, '0')}:${cron[1]!.padStart(2, '0')}`;
  const start = definition.startDate ? new Date(definition.startDate) : from;
  const end = definition.endDate ? new Date(definition.endDate) : to;
  const out: Date[] = [];
  const bangkokDate = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  for (let day = bangkokDate(from); day <= bangkokDate(to); day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (cron[3] !== '* * ?' && (weekday === 0 || weekday === 6)) continue;
    const at = bangkokInstant(day, time);
    if (at > from && at <= to && at >= start && at <= end) out.push(at);
  }
  return out;
};

export type LocalSchedulerOptions = {
  clock: LocalClock;
  /** Calls the milestone function with a schedule's payload. */
  invoke: (input: MilestoneInvocation) => Promise<unknown>;
  /** Keeps the definitions between runs (`.local/schedules.json`). */
  file?: string;
};

/**
 * The schedule port held in memory (and in a file): the same definitions the sync would write to
 * EventBridge Scheduler, fired against the local clock. Moving the clock fires everything due in
 * between, in time order, with the clock set to each firing's moment while it runs.
 */
export const createLocalScheduler = ({ clock, invoke, file }: LocalSchedulerOptions) => {
  const schedules = new Map<string, ScheduleDefinition>();
  if (file) {
    try {
      for (const d of JSON.parse(readFileSync(file, 'utf8')) as ScheduleDefinition[])
        schedules.set(d.name, d);
    } catch {
      // Nothing saved yet.
    }
  }
  const save = () => {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify([...schedules.values()], null, 2)}\n`);
  };

  const port: SchedulePort = {
    list: async (prefix) => [...schedules.values()].filter((d) => d.name.startsWith(prefix)),
    create: async (d) => {
      schedules.set(d.name, d);
      save();
    },
    update: async (d) => {
      schedules.set(d.name, d);
      save();
    },
    delete: async (name) => {
      schedules.delete(name);
      save();
    },
  };

  /** Moves the clock to `to`, firing what falls due on the way; returns what fired. */
  const advanceTo = async (to: Date, onFire?: (firing: Firing) => void): Promise<Firing[]> => {
    const from = clock.now();
    if (to <= from) {
      clock.set(to);
      return [];
    }
    const due: Firing[] = [...schedules.values()]
      .flatMap((d) => firingsBetween(d, from, to).map((at) => ({ at, name: d.name, input: d.input })))
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.name.localeCompare(b.name));
    for (const firing of due) {
      clock.set(firing.at);
      onFire?.(firing);
      await invoke(firing.input);
    }
    clock.set(to);
    return due;
  };

  return { port, advanceTo, schedules };
};

export type LocalScheduler = ReturnType<typeof createLocalScheduler>;
