import type { MessageKey } from '../i18n/catalogue.js';
import type { Translate } from '../i18n/translate.js';

// A short explanation, in the reader's language, of the Python errors young
// pupils meet first. Shown under the traceback by the editor only: it is
// never written into the document (a French pupil and an English teacher
// read the same output, each with their own explanation).

const explained = new Set([
  'NameError',
  'SyntaxError',
  'IndentationError',
  'TabError',
  'TypeError',
  'ZeroDivisionError',
  'IndexError',
  'KeyError',
  'ModuleNotFoundError',
  'ValueError',
  'AttributeError',
  'RecursionError',
]);

/** Returns the explanation of the error named `ename` (`NameError`...), or null for errors without one. */
export const errorHint = (t: Translate, ename: string): string | null => {
  // An import that fails is explained as ModuleNotFoundError (its parent class, seen in older tracebacks).
  const name = ename === 'ImportError' ? 'ModuleNotFoundError' : ename;
  return explained.has(name) ? t(`error.hint.${name}` as MessageKey) : null;
};
