import { metaOf } from '@candyce/model';
import * as Y from 'yjs';

/**
 * Returns the kernel name that the notebook asks for in its
 * `metadata.kernelspec.name`, or `fallback` (default `python3`) when it says
 * nothing usable. Reads only: a document without metadata is left as it is.
 */
export const kernelNameOf = (doc: Y.Doc, fallback = 'python3'): string => {
  const metadata = metaOf(doc).get('metadata');
  const spec = metadata instanceof Y.Map ? metadata.get('kernelspec') : undefined;
  const name =
    spec && typeof spec === 'object' && !Array.isArray(spec) ? (spec as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name : fallback;
};
