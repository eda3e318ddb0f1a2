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

/**
 * Returns where the notebook asks Candyce to run its kernel
 * (`metadata.kernelspec.candyce_location`: `browser`, `server`), or '' when
 * it says nothing. Reads only, like {@link kernelNameOf}.
 */
export const kernelLocationOf = (doc: Y.Doc): string => {
  const metadata = metaOf(doc).get('metadata');
  const spec = metadata instanceof Y.Map ? metadata.get('kernelspec') : undefined;
  const where =
    spec && typeof spec === 'object' && !Array.isArray(spec)
      ? (spec as { candyce_location?: unknown }).candyce_location
      : undefined;
  return typeof where === 'string' ? where : '';
};
