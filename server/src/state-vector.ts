/** Returns the per-client maximum of two state vectors. */
export const mergeStateVectors = (
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
): Map<number, number> => {
  const merged = new Map(a);
  for (const [client, clock] of b) merged.set(client, Math.max(clock, merged.get(client) ?? 0));
  return merged;
};
