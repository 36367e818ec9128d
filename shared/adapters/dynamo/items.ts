/** Strips the table's key and bookkeeping attributes from an item read back, leaving the domain object. */
export const withoutKeys = (item: Record<string, unknown>): Record<string, unknown> => {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, type: _type, expiresAt: _ttl, ...rest } = item;
  return rest;
};
