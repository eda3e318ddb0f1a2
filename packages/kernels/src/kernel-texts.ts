import type { KernelNotice } from './kernel-notice.js';

/**
 * The words that execution writes into a notebook for its readers: pupils and
 * teachers. They land in the shared document, so pick the language of the
 * class. Every text says what happened and, where there is one, what to do.
 */
export interface KernelTexts {
  /** The marker line that replaces the middle of a long output (ends with a newline). */
  elided(lines: number, chars: number, limit: number): string;
  /** Replaces outputs past the limit on their number. */
  outputsDropped(count: number, limit: number): string;
  /** Replaces a rich output whose text is too large for what is left of the cell's budget. */
  outputTooLarge(chars: number, limit: number): string;
  /** Replaces an image too large for what is left of the cell's image budget. */
  imageTooLarge(bytes: number, limit: number): string;
  /** Explains a {@link KernelNotice}. */
  notice(notice: KernelNotice): string;
  /** Raised by `input()` in Pyodide when the page cannot share memory with the worker. */
  inputNeedsIsolation: string;
  /** Raised by `input()` when nobody can answer (the run was started without an input handler). */
  inputNotAvailable: string;
  /**
   * Added to a ModuleNotFoundError in browser Python: what to do when a module is not in the
   * Pyodide distribution served. `{module}` stands for the module's name.
   */
  moduleMissing: string;
}

const sizeIn = (locale: string, units: [string, string, string]) => (n: number) => {
  const format = (x: number) => x.toLocaleString(locale, { maximumFractionDigits: 1 });
  if (n < 1024) return `${format(n)} ${units[0]}`;
  if (n < 1024 * 1024) return `${format(n / 1024)} ${units[1]}`;
  return `${format(n / (1024 * 1024))} ${units[2]}`;
};

const enSize = sizeIn('en', ['B', 'KiB', 'MiB']);
const frSize = sizeIn('fr', ['o', 'Kio', 'Mio']);
const en = (n: number) => n.toLocaleString('en');
const fr = (n: number) => n.toLocaleString('fr');

/** English texts. */
export const englishTexts: KernelTexts = {
  elided: (lines, chars, limit) =>
    `⋯ ${en(lines)} ${lines === 1 ? 'line' : 'lines'} (${enSize(chars)}) not shown: a cell keeps ${enSize(limit)} of output ⋯\n`,
  outputsDropped: (count, limit) =>
    `⋯ ${en(count)} more outputs not shown: a cell keeps ${en(limit)} outputs ⋯`,
  outputTooLarge: (chars, limit) =>
    `[Output of ${enSize(chars)} not shown: a cell keeps ${enSize(limit)} of output.]`,
  imageTooLarge: (bytes, limit) =>
    `[Image of ${enSize(bytes)} not shown: a cell keeps ${enSize(limit)} of images. Make it smaller (fewer pixels, JPEG) and run the cell again.]`,
  notice: (n) => {
    const detail = n.detail ? ` (${n.detail})` : '';
    switch (n.code) {
      case 'kernel-died':
        return `The kernel stopped while running this cell${detail} and was restarted: variables and imports are lost. Run the cells above again, then this one.`;
      case 'interrupt-restart':
        return 'The kernel did not stop when interrupted, so it was restarted: variables and imports are lost. Run the cells above again if this cell needs them.';
      case 'idle-restart':
        return 'The kernel had been stopped after a long time without activity and was started again: run the cells above again if this cell needs their variables.';
      case 'connection-lost':
        return `The connection to the kernel was lost while this cell was running${detail}. Run the cell again.`;
      case 'kernel-lost':
        return 'The kernel was no longer running on the server, so a new one was started: run the cells above again if this cell needs their variables.';
      case 'start-failed':
        return `The kernel could not start${detail}. Run the cell again in a moment (reload the page if you were offline); if it keeps failing, tell your teacher.`;
      case 'restarted':
        return 'The kernel was restarted while this cell was running.';
    }
  },
  inputNeedsIsolation:
    'input() cannot wait for an answer on this page, because it is not cross-origin isolated. Open the notebook from the Candyce site, or set the value directly in the code.',
  inputNotAvailable:
    'input() cannot be used here: nobody can answer it for this run. Set the value directly in the code.',
  moduleMissing:
    'The module {module} is not available in the Python of this browser (or its name is misspelt). To use it, the operator of this Candyce site can install the full Pyodide distribution (npm run pyodide:install -- <archive>), or the teacher can have the activity run on the server kernel (Python on the server).',
};

/** French texts (textes en français). */
export const frenchTexts: KernelTexts = {
  elided: (lines, chars, limit) =>
    `⋯ ${fr(lines)} ${lines <= 1 ? 'ligne' : 'lignes'} (${frSize(chars)}) ${lines <= 1 ? 'non affichée' : 'non affichées'} : une cellule garde ${frSize(limit)} de sortie ⋯\n`,
  outputsDropped: (count, limit) =>
    `⋯ ${fr(count)} sorties de plus non affichées : une cellule garde ${fr(limit)} sorties ⋯`,
  outputTooLarge: (chars, limit) =>
    `[Sortie de ${frSize(chars)} non affichée : une cellule garde ${frSize(limit)} de sortie.]`,
  imageTooLarge: (bytes, limit) =>
    `[Image de ${frSize(bytes)} non affichée : une cellule garde ${frSize(limit)} d'images. Réduisez-la (moins de pixels, JPEG) puis relancez la cellule.]`,
  notice: (n) => {
    const detail = n.detail ? ` (${n.detail})` : '';
    switch (n.code) {
      case 'kernel-died':
        return `Le noyau s'est arrêté pendant l'exécution de cette cellule${detail} et a été redémarré : les variables et les imports sont perdus. Relancez les cellules du dessus, puis celle-ci.`;
      case 'interrupt-restart':
        return "Le noyau ne s'est pas arrêté à l'interruption, il a donc été redémarré : les variables et les imports sont perdus. Relancez les cellules du dessus si celle-ci en a besoin.";
      case 'idle-restart':
        return 'Le noyau avait été arrêté après une longue inactivité et a été relancé : relancez les cellules du dessus si celle-ci a besoin de leurs variables.';
      case 'connection-lost':
        return `La connexion au noyau a été perdue pendant l'exécution de cette cellule${detail}. Relancez la cellule.`;
      case 'kernel-lost':
        return 'Le noyau ne tournait plus sur le serveur, un nouveau a été démarré : relancez les cellules du dessus si celle-ci a besoin de leurs variables.';
      case 'start-failed':
        return `Le noyau n'a pas pu démarrer${detail}. Relancez la cellule dans un moment (rechargez la page si vous étiez hors ligne) ; si cela continue, prévenez votre enseignant.`;
      case 'restarted':
        return "Le noyau a été redémarré pendant l'exécution de cette cellule.";
    }
  },
  inputNeedsIsolation:
    "input() ne peut pas attendre de réponse sur cette page, car elle n'est pas isolée (cross-origin isolation). Ouvrez le carnet depuis le site Candyce, ou écrivez la valeur directement dans le code.",
  inputNotAvailable:
    'input() ne peut pas être utilisé ici : personne ne peut y répondre pour cette exécution. Écrivez la valeur directement dans le code.',
  moduleMissing:
    "Le module {module} n'est pas disponible dans le Python de ce navigateur (ou son nom est mal écrit). Pour l'utiliser, l'administrateur de ce site Candyce peut installer la distribution complète de Pyodide (npm run pyodide:install -- <archive>), ou l'enseignant peut faire exécuter l'activité par le noyau du serveur (Python sur le serveur).",
};
