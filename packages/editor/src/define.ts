import { CandyceCell } from './cells/candyce-cell.js';
import { CandyceNotebook } from './elements/candyce-notebook.js';

/**
 * Registers `<candyce-notebook>` and `<candyce-cell>` with the page's custom
 * element registry, once (a second copy of the bundle on one page is harmless).
 */
export const defineElements = (registry: CustomElementRegistry = customElements): void => {
  if (!registry.get('candyce-cell')) registry.define('candyce-cell', CandyceCell);
  if (!registry.get('candyce-notebook')) registry.define('candyce-notebook', CandyceNotebook);
};

declare global {
  interface HTMLElementTagNameMap {
    'candyce-notebook': CandyceNotebook;
    'candyce-cell': CandyceCell;
  }
}
