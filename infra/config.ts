import * as z from 'zod/mini';
import { Slug } from '#domain/primitives';
import '#domain/zod-locale';

/**
 * Everything a deployment varies by, read from CDK context (`cdk.json` holds the defaults,
 * `-c key=value` overrides). Values given on the command line arrive as strings, so lists
 * accept a comma-separated string and numbers are coerced.
 */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

const csv = z.pipe(
  z.union([z.array(z.string()), z.string()]),
  z.transform((value) =>
    (Array.isArray(value) ? value : value.split(','))
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  ),
);

const Origin = z.url().check(
  z.refine((value) => new URL(value).origin === value, {
    message: 'must be an origin (scheme://host[:port], no path or trailing slash)',
  }),
);

const blankToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

export const DeployContext = z
  .object({
    stage: z.enum(STAGES, { error: () => `stage must be one of ${STAGES.join(', ')} (-c stage=dev)` }),
    region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'region must look like ap-southeast-1')),
    /** The From address of every email; it must belong to the verified SES identity. */
    fromAddress: z.email(),
    /** Verify the whole domain (DKIM records to publish) instead of the single From address. */
    senderDomain: z.pipe(
      z.transform(blankToUndefined),
      z.optional(z.string().check(z.regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i))),
    ),
    alarmEmail: z.pipe(z.transform(blankToUndefined), z.optional(z.email())),
    /**
     * The deployment-wide recipients of the secretariat's and the approver's emails (kick-offs of
     * their milestones, the weekly summary, approval reminders, the ladder's last rung), for any
     * assessment whose notification settings name none. Comma-separated; empty = none.
     */
    secretariatEmail: z.pipe(csv, z.array(z.email())),
    approverEmail: z.pipe(csv, z.array(z.email())),
    corsOrigins: z.pipe(csv, z.array(Origin)),
    /**
     * Where links in emails point (the web app's origin, e.g. a custom domain in front of the
     * distribution); empty means the CloudFront distribution's own URL.
     */
    publicBaseUrl: z.pipe(z.transform(blankToUndefined), z.optional(z.url())),
    /** The web app's `/config.json`: the assessment `#/` opens, and the province's Thai name. */
    defaultAssessmentId: Slug,
    province: z.string().check(z.minLength(1)),
    throttleRateLimit: z.coerce.number().check(z.int(), z.positive()),
    throttleBurstLimit: z.coerce.number().check(z.int(), z.positive()),
  })
  .check(
    z.refine(
      (c) => !c.senderDomain || c.fromAddress.toLowerCase().endsWith(`@${c.senderDomain.toLowerCase()}`),
      {
        message: 'fromAddress must be an address at senderDomain',
        path: ['fromAddress'],
      },
    ),
  );
export type DeployContext = z.infer<typeof DeployContext>;

export const CONTEXT_KEYS = [
  'stage',
  'region',
  'fromAddress',
  'senderDomain',
  'alarmEmail',
  'secretariatEmail',
  'approverEmail',
  'corsOrigins',
  'publicBaseUrl',
  'defaultAssessmentId',
  'province',
  'throttleRateLimit',
  'throttleBurstLimit',
] as const satisfies readonly (keyof DeployContext)[];

/** Reads and validates the context; the error names every bad key so `cdk synth` says what to fix. */
export const readDeployContext = (get: (key: string) => unknown): DeployContext => {
  const raw = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, get(key)]));
  const parsed = DeployContext.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  -c ${issue.path.join('.') || '(context)'}: ${issue.message}`)
      .join('\n');
    throw new Error(`invalid CDK context:\n${problems}`);
  }
  return parsed.data;
};

/** What differs between stages beyond the context: retention, logging, data safety. */
export const stageSettings = (stage: Stage) =>
  stage === 'prod'
    ? { logRetentionDays: 365, logLevel: 'INFO', retainData: true }
    : { logRetentionDays: 14, logLevel: 'DEBUG', retainData: false };
export type StageSettings = ReturnType<typeof stageSettings>;
