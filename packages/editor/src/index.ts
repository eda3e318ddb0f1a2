// @candyce/editor — the <candyce-notebook> web component.
// This file is the public API at a glance. Importing it registers the elements.

import { defineElements } from './define.js';

export { CandyceCell, type CellActivateDetail, type CellCommandDetail } from './cells/candyce-cell.js';
export { type AddonCell, addonsView, type CellAddon } from './cells/cell-addons.js';
export {
  type CellComment,
  type CellComments,
  type CommentDeleteDetail,
  type CommentDetail,
  commentsByCell,
  commentsOf,
  maxCommentLength,
} from './cells/cell-comments.js';
export {
  type CodeLanguage,
  codeLanguageOf,
  type LanguageKey,
  languageKeyOf,
  notebookLanguageOf,
} from './cells/code-language.js';
export type { PendingInput } from './cells/input-prompt.js';
export type { NotebookSession } from './context.js';
export { sessionContext } from './context.js';
export { defineElements } from './define.js';
export { CandyceNotebook, type NotebookChangeDetail } from './elements/candyce-notebook.js';
export { type Catalogue, en, fr, type MessageKey } from './i18n/catalogue.js';
export { catalogues, type Lang, resolveLang, type Translate, translator } from './i18n/translate.js';
export {
  type CommandKeyState,
  commandModeKey,
  editModeKey,
  initialKeyState,
  type KeyPress,
  type NotebookCommand,
} from './keys/commands.js';
export {
  colorFor,
  type Identity,
  personColors,
  readTokenClaims,
  type TokenClaims,
} from './presence/identity.js';
export { findFollowed, type Person, readPeople } from './presence/people.js';
export { ansiToHtml, stripAnsi } from './render/ansi.js';
export { type MarkdownContext, type RenderedMarkdown, renderMarkdown } from './render/markdown.js';
export { loadMath, type MathRenderer } from './render/math.js';
export { htmlNeedsScript, mimeOrder, pickMime } from './render/mime.js';
export { createSanitizer, type Sanitizer, sanitizer } from './render/sanitize.js';
export {
  type CellRunner,
  type InputHandler,
  type InputRequest,
  type KernelKind,
  noRunner,
  RunError,
  type RunRefusal,
  type RunRequest,
  type RunState,
} from './run/cell-runner.js';
export { createRunner, kernelKindOf, type RunnerOptions } from './run/create-runner.js';
export {
  browserCatalog,
  browserKernelOptions,
  type CurrentKernel,
  catalogOf,
  currentKernelOf,
  isOffered,
  type KernelCatalog,
  type KernelLocation,
  type KernelOption,
  kernelLabel,
  optionFields,
} from './run/kernel-choice.js';
export { httpBaseOf, refusalOf, serverRunner } from './run/server-runner.js';
export { type ConnectionState, type ConnectionStatus, closeCode } from './sync/connection-state.js';
export { ProviderController, type RoomAddress } from './sync/provider-controller.js';

if (typeof customElements !== 'undefined') defineElements();
