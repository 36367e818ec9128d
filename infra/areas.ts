import type * as z from 'zod/mini';
import { TableConfig } from '#config';
import { BusConfig } from '#runtime/bus';
import { LineConfig } from '#runtime/line';
import { LinkQueueConfig } from '#runtime/link-check';
import { PublicLinksConfig } from '#runtime/links';
import { MailConfig } from '#runtime/mail';
import { RecipientsConfig } from '#runtime/recipients';
import { SchedulesConfig, ScheduleTimingConfig } from '#runtime/schedules';
import type { FunctionNeeds } from './permissions.ts';

/**
 * The variables a function can be given, by what its declaration names (`infra/permissions.ts`),
 * each with the config schema (in shared/config.ts or shared/runtime/*.ts) that reads them.
 */
export const AREA_SCHEMAS = {
  table: TableConfig,
  bus: BusConfig,
  schedules: SchedulesConfig,
  mail: MailConfig,
  /** The deployment's default recipients (CDK context `secretariatEmail`, `approverEmail`). */
  recipients: RecipientsConfig,
  /** The LINE channel's secret (Secrets Manager; its ARN only in the environment). */
  line: LineConfig,
  /** The public base URL of the links a function hands out (calendar subscriptions). */
  links: PublicLinksConfig,
  /** The link watch's check queue (LINK_CHECK_QUEUE_URL), with sqs:SendMessage on it. */
  linkCheck: LinkQueueConfig,
} as const satisfies Record<string, z.ZodMiniObject>;
export type Area = keyof typeof AREA_SCHEMAS;

export const SCHEMAS_WITHOUT_REQUIRED_KEYS = { ScheduleTimingConfig, RecipientsConfig } as const;

/** Keys a schema cannot do without (no default, not optional). */
export const requiredKeys = (schema: z.ZodMiniObject): string[] =>
  Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodMiniType).safeParse(undefined).success)
    .map(([key]) => key)
    .sort();

/**
 * The config schemas a declaration's variables belong to: the stack sets their variables, and
 * the test checks that the function's schemas find every required one and nothing else.
 */
export const areasOfNeeds = (needs: FunctionNeeds): Area[] => {
  const areas = new Set<Area>();
  if (needs.table) areas.add('table');
  if (needs.bus) areas.add('bus');
  if (needs.schedules) areas.add('schedules');
  if (needs.mail) areas.add('mail');
  if (needs.secrets?.includes('line')) areas.add('line');
  for (const setting of needs.settings ?? []) areas.add(setting);
  for (const queue of needs.queueSend ?? []) areas.add(queue);
  return [...areas].sort();
};
