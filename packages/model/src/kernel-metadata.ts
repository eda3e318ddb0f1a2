import type * as Y from 'yjs';
import type { EditOptions } from './edit-options.js';
import { resolveEdit } from './edit-options.js';
import type { JSONObject } from './json.js';
import { transact } from './origin.js';
import { notebookMetadataOf } from './ydoc.js';

/**
 * A notebook's kernel as `metadata.kernelspec` holds it. `candyce_location`
 * (`browser` or `server`) says where Candyce runs it; a notebook without it
 * runs where the page's `kernel` attribute says.
 */
export interface NotebookKernelspec {
  name: string;
  display_name: string;
  language: string;
  candyce_location?: 'browser' | 'server';
}

/**
 * Sets the notebook's kernel in one transaction: `metadata.kernelspec` and
 * `metadata.language_info` (reduced to its `name`, since the rest of it
 * described the previous kernel's language), so that collaborators switch
 * together and one undo puts both back.
 */
export function setNotebookKernel(doc: Y.Doc, spec: NotebookKernelspec, options?: EditOptions): void {
  const { origin } = resolveEdit(options);
  const kernelspec: JSONObject = {
    name: spec.name,
    display_name: spec.display_name,
    language: spec.language,
  };
  if (spec.candyce_location) kernelspec.candyce_location = spec.candyce_location;
  transact(doc, origin, () => {
    const md = notebookMetadataOf(doc);
    md.set('kernelspec', kernelspec);
    md.set('language_info', { name: spec.language || spec.name });
  });
}
