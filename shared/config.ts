import * as z from 'zod/mini';
import '#domain/zod-locale';

/**
 * Configuration is parsed once, at module load of the entry point, with zod; a function that
 * is deployed without a variable it needs fails at cold start with the variable's name.
 * Domain code never reads `process.env`: entry points pass it what it needs.
 */
export const parseConfig = <S extends z.ZodMiniType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
};

const OptionalUrl = z.union([
  z.optional(z.string().check(z.url())),
  z.pipe(
    z.literal(''),
    z.transform(() => undefined),
  ),
]);

/** What every function that touches the table needs. */
export const TableConfig = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** Set only locally (DynamoDB Local); in AWS the SDK finds the regional endpoint. */
  DDB_ENDPOINT: OptionalUrl,
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'ap-southeast-1'),
});
export type TableConfig = z.infer<typeof TableConfig>;
