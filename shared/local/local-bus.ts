import { randomUUID } from 'node:crypto';
import {
  type DomainEvent,
  EVENT_RULES,
  type EventPublisher,
  matchesPattern,
  toBusEntry,
} from '#domain/events';

/** The envelope EventBridge hands a rule's target. */
export type BusEnvelope = {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
};

export type BusTarget = (event: BusEnvelope) => Promise<unknown>;

export type DeadLetter = { rule: string; event: BusEnvelope; error: string };

export type LocalBusOptions = {
  /** The handler of a function in `functions/`, by file name (the rule's `target`). */
  loadTarget: (fn: string) => Promise<BusTarget>;
  /** Deliveries after the first, like the rule target's retry policy. */
  retries?: number;
  retryDelayMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
};

/**
 * The in-process event bus: the same rule patterns as the CDK rules (`EVENT_RULES`), the same
 * handlers as targets. Delivery is awaited, so moving the local clock finishes a milestone's emails
 * before the next one fires. A target that keeps throwing ends in `deadLetters` and is logged,
 * as the rule target's DLQ would hold it; `publish` itself succeeds, like PutEvents.
 */
export const createLocalBus = ({
  loadTarget,
  retries = 2,
  retryDelayMs = 50,
  now = () => new Date(),
  log = (line) => console.log(line),
}: LocalBusOptions) => {
  const deadLetters: DeadLetter[] = [];
  const delivered: Record<string, number> = {};

  const deliver = async (rule: (typeof EVENT_RULES)[number], envelope: BusEnvelope) => {
    const target = await loadTarget(rule.target);
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** (attempt - 1)));
      try {
        await target(envelope);
        delivered[rule.name] = (delivered[rule.name] ?? 0) + 1;
        return;
      } catch (error) {
        lastError = error;
      }
    }
    const message = lastError instanceof Error ? lastError.message : String(lastError);
    deadLetters.push({ rule: rule.name, event: envelope, error: message });
    log(`bus: ${rule.target} failed ${retries + 1} times, dead-lettered: ${message}`);
  };

  const publisher: EventPublisher = {
    async publish(events: DomainEvent[]) {
      for (const event of events) {
        const entry = toBusEntry(event);
        const envelope: BusEnvelope = {
          version: '0',
          id: randomUUID(),
          'detail-type': entry.DetailType,
          source: entry.Source,
          account: '000000000000',
          time: now().toISOString(),
          region: 'local',
          resources: [],
          detail: JSON.parse(entry.Detail),
        };
        for (const rule of EVENT_RULES) {
          if (matchesPattern(rule.pattern, envelope)) await deliver(rule, envelope);
        }
      }
    },
  };
  return { publisher, deadLetters, delivered };
};

export type LocalBus = ReturnType<typeof createLocalBus>;
