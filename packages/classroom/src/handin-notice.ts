// What a hand-in says about its outputs. Outputs and execution counts are
// part of the shared document, which the pupil writes (a browser kernel
// writes them from the pupil's page, and any client can write them
// directly), also in locked cells: they are the pupil's word, never proof
// that a test passed. Grading re-runs the tests.

/** The keys added to `metadata.candyce` of every hand-in: who wrote the outputs. */
export const outputsNotice = { outputs_written_by: 'pupil' } as const;

/**
 * Returns a hand-in's notebook as served: with {@link outputsNotice} in its
 * `metadata.candyce` (hand-ins stored before it existed lack it). The stored
 * record is not changed.
 */
export const withOutputsNotice = (notebook: unknown): unknown => {
  if (typeof notebook !== 'object' || notebook === null) return notebook;
  const nb = notebook as { metadata?: Record<string, unknown> };
  const candyce = nb.metadata?.candyce;
  if (typeof candyce !== 'object' || candyce === null || 'outputs_written_by' in candyce) return notebook;
  return { ...nb, metadata: { ...nb.metadata, candyce: { ...candyce, ...outputsNotice } } };
};
