import type * as z from 'zod/mini';
import { TableConfig } from '#config';
import { BusConfig } from '#runtime/bus';
import { LineConfig } from '#runtime/line';
import { PublicLinksConfig } from '#runtime/links';
import {
  NotifierConfig,
  RecipientsConfig,
  SchedulesConfig,
  ScheduleTimingConfig,
} from '#runtime/notifications';

/**
 * The AWS resources a function can be wired to, each with the config schema (in shared/config.ts
 * or shared/runtime/*.ts) that reads its variables. The stack sets exactly these variables.
 */
export const AREA_SCHEMAS = {
  table: TableConfig,
  bus: BusConfig,
  schedules: SchedulesConfig,
  mail: NotifierConfig,
  /** The deployment's default recipients (CDK context `secretariatEmail`, `approverEmail`). */
  recipients: RecipientsConfig,
  /** The LINE channel's secret (Secrets Manager; its ARN only in the environment). */
  line: LineConfig,
  /** The public base URL of the links a function hands out (calendar subscriptions). */
  links: PublicLinksConfig,
} as const satisfies Record<string, z.ZodMiniObject>;
export type Area = keyof typeof AREA_SCHEMAS;

/**
 * Every export of shared/runtime/* that a function may import, and the areas it needs. A
 * function importing an export missing here fails the synth with its name: wiring is never
 * guessed. Exports mapped to no area read only variables that have defaults or are optional
 * (asserted by test/infra against `SCHEMAS_WITHOUT_REQUIRED_KEYS`).
 */
export const RUNTIME_EXPORTS: Readonly<Record<string, readonly Area[]>> = {
  'table.tableRuntime': ['table'],
  'table.tableAccess': ['table'],
  'table.tableDeps': ['table'],
  'auth.authRuntime': ['table'],
  'events.eventPublisher': ['table'],
  'bus.busPublisher': ['bus'],
  'notifications.notificationRepository': ['table'],
  'notifications.schedulerPort': ['schedules'],
  'notifications.notifierRuntime': ['mail'],
  'notifications.scheduleSettingsFrom': [],
  'notifications.defaultRecipients': ['recipients'],
  'clock.clockNow': [],
  'clock.tokenClockNow': [],
  /** Embedded metric format on stdout: CloudWatch Logs extracts it, no permission needed. */
  'metrics.countPaceCheckRun': [],
  'line.lineMessenger': ['line'],
  'line.lineCredentials': ['line'],
  'links.publicBaseUrl': ['links'],
};

export const SCHEMAS_WITHOUT_REQUIRED_KEYS = { ScheduleTimingConfig, RecipientsConfig } as const;

/** Keys a schema cannot do without (no default, not optional). */
export const requiredKeys = (schema: z.ZodMiniObject): string[] =>
  Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodMiniType).safeParse(undefined).success)
    .map(([key]) => key)
    .sort();

export const areasOf = (runtimeImports: readonly string[]): Area[] => {
  const areas = new Set<Area>();
  for (const name of runtimeImports) {
    const needs = RUNTIME_EXPORTS[name];
    if (!needs) {
      throw new Error(
        `shared/runtime export ${name} is not wired: add it to RUNTIME_EXPORTS in infra/areas.ts ` +
          '(which resources it needs), then its variables and grants follow.',
      );
    }
    for (const area of needs) areas.add(area);
  }
  return [...areas].sort();
};
