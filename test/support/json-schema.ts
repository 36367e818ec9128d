/**
 * A JSON Schema (draft 2020-12) check of the keywords the OpenAPI document uses (`z.toJSONSchema`'s
 * output): type, const, enum, properties, required, additionalProperties, propertyNames, items,
 * anyOf, oneOf, (exclusive) minimum and maximum, minLength, maxLength, minItems, maxItems, pattern,
 * and `$ref` into the document.
 * `format` is an annotation in 2020-12 and is not checked; a keyword outside this list fails the
 * check, so the document cannot grow one this checker silently ignores.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  '$ref',
  'type',
  'const',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'anyOf',
  'oneOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'default',
  'description',
  'examples',
  'title',
]);

const typeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

const matchesType = (value: unknown, type: string) => {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
};

const resolve = (root: Schema, ref: string): Schema => {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref is supported: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>(
      (node, part) => (node as Schema)[part.replace(/~1/g, '/').replace(/~0/g, '~')],
      root,
    ) as Schema;
};

/** Every way `value` breaks `schema`, each as `path: reason`; empty when it conforms. */
export const schemaErrors = (schema: Schema, value: unknown, root: Schema = schema, path = '$'): string[] => {
  const unknown = Object.keys(schema).filter((key) => !KNOWN.has(key));
  if (unknown.length)
    return [`${path}: the schema uses keywords this check does not know: ${unknown.join(', ')}`];
  if (typeof schema.$ref === 'string') return schemaErrors(resolve(root, schema.$ref), value, root, path);
  const errors: string[] = [];
  const at = (reason: string) => errors.push(`${path}: ${reason}`);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => matchesType(value, type))) {
      at(`is ${typeOf(value)}, the document says ${types.join(' or ')}`);
      return errors;
    }
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value))
    at(`is ${JSON.stringify(value)}, the document says ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => JSON.stringify(v) === JSON.stringify(value)))
    at(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      at(`${value} < minimum ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      at(`${value} > maximum ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
      at(`${value} <= exclusive minimum ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
      at(`${value} >= exclusive maximum ${schema.exclusiveMaximum}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength)
      at(`shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength)
      at(`longer than ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      at(`${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      at(`fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      at(`more than ${schema.maxItems} items`);
  }
  if (Array.isArray(value) && schema.items && typeof schema.items === 'object')
    value.forEach((item, i) => {
      errors.push(...schemaErrors(schema.items as Schema, item, root, `${path}[${i}]`));
    });
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[])
      if (!(name in object)) at(`lacks required ${name}`);
    for (const [name, item] of Object.entries(object)) {
      const where = `${path}.${name}`;
      if (schema.propertyNames)
        errors.push(...schemaErrors(schema.propertyNames as Schema, name, root, `${where} (name)`));
      if (properties[name]) errors.push(...schemaErrors(properties[name], item, root, where));
      else if (schema.additionalProperties === false) at(`has ${name}, which the document does not declare`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
        errors.push(...schemaErrors(schema.additionalProperties as Schema, item, root, where));
    }
  }
  for (const [keyword, need] of [
    ['anyOf', (n: number) => n >= 1],
    ['oneOf', (n: number) => n === 1],
  ] as const) {
    const options = schema[keyword];
    if (!Array.isArray(options)) continue;
    const outcomes = options.map((option) => schemaErrors(option as Schema, value, root, path));
    const passing = outcomes.filter((o) => o.length === 0).length;
    if (!need(passing))
      at(
        `${keyword}: ${passing} of ${options.length} match (${outcomes.map((o) => o[0] ?? 'ok').join(' | ')})`,
      );
  }
  return errors;
};
