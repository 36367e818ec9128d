import * as z from 'zod';

/**
 * Configuration is parsed once, at module load of the entry point, with zod; a function that
 * is deployed without a variable it needs fails at cold start with the variable's name.
 * Domain code never reads `process.env`: entry points pass it what it needs.
 */
export const parseConfig = <S extends z.ZodType>(
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

const OptionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

/** What every function that touches the table needs. */
export const TableConfig = z.object({
  TABLE_NAME: z.string().min(1),
  /** Set only locally (DynamoDB Local); in AWS the SDK finds the regional endpoint. */
  DDB_ENDPOINT: OptionalUrl,
  AWS_REGION: z.string().min(1).default('ap-southeast-1'),
});
export type TableConfig = z.infer<typeof TableConfig>;
