import { type Lang, type MessageParams, messagesOf } from '@candyce/protocol';

// Every sentence of the example host page, in French and English.

const fr = {
  title: 'Plateforme hôte — exemple',
  intro:
    'Cette page joue le rôle du MetaPlayer de Capytale : son serveur crée les jetons, elle place le lecteur Candyce dans une iframe et le pilote par le contrat capytale-player.',
  switchLang: 'English',
  settings: 'Activité',
  activity: 'Identifiant de l’activité',
  mode: 'Mode',
  'mode.create': 'create — l’enseignant prépare',
  'mode.assignment': 'assignment — l’élève travaille',
  'mode.review': 'review — l’enseignant corrige une copie',
  'mode.view': 'view — consultation',
  pupil: 'Identifiant de l’élève',
  name: 'Nom affiché',
  workflow: 'État de la copie',
  'workflow.current': 'current — en cours',
  'workflow.finished': 'finished — rendue',
  'workflow.corrected': 'corrected — corrigée',
  theme: 'Thème',
  'theme.light': 'clair',
  'theme.dark': 'sombre',
  'theme.none': 'non défini',
  playerTitle: 'Le lecteur dans une iframe (contrat capytale-player)',
  open: 'Ouvrir dans le lecteur',
  save: 'Enregistrer',
  frameTitle: 'Carnet Candyce',
  agreed: 'Contrats en vigueur : {list}.',
  loaded: 'Carnet chargé ({mode}).',
  dirty: 'Modifications non enregistrées.',
  saved: 'Enregistré ({cells} cellules).',
  notOpen: 'Ouvrez d’abord l’activité dans le lecteur.',
  failed: 'Échec : {detail}',
  elementTitle: 'L’élément <candyce-notebook> placé directement dans la page',
  elementOpen: 'Ouvrir l’élément',
  elementNote:
    'Même jeton, sans iframe : la page charge le script de l’éditeur depuis sa propre origine et se connecte au serveur Candyce par WebSocket.',
};

type Key = keyof typeof fr;

const en: Record<Key, string> = {
  title: 'Host platform — example',
  intro:
    'This page plays the part of Capytale’s MetaPlayer: its server mints the tokens, it puts the Candyce player in an iframe and drives it through the capytale-player contract.',
  switchLang: 'Français',
  settings: 'Activity',
  activity: 'Activity id',
  mode: 'Mode',
  'mode.create': 'create — the teacher prepares',
  'mode.assignment': 'assignment — the pupil works',
  'mode.review': 'review — the teacher corrects a copy',
  'mode.view': 'view — read only',
  pupil: 'Pupil id',
  name: 'Display name',
  workflow: 'Copy state',
  'workflow.current': 'current — in progress',
  'workflow.finished': 'finished — handed in',
  'workflow.corrected': 'corrected',
  theme: 'Theme',
  'theme.light': 'light',
  'theme.dark': 'dark',
  'theme.none': 'none',
  playerTitle: 'The player in an iframe (capytale-player contract)',
  open: 'Open in the player',
  save: 'Save',
  frameTitle: 'Candyce notebook',
  agreed: 'Contracts in force: {list}.',
  loaded: 'Notebook loaded ({mode}).',
  dirty: 'Unsaved changes.',
  saved: 'Saved ({cells} cells).',
  notOpen: 'Open the activity in the player first.',
  failed: 'Failed: {detail}',
  elementTitle: 'The <candyce-notebook> element placed directly in the page',
  elementOpen: 'Open the element',
  elementNote:
    'Same token, no iframe: the page loads the editor’s script from its own origin and connects to the Candyce server over WebSocket.',
};

/** A key of the host page's sentences. */
export type HostText = Key;

/** Returns `key` in `lang`, with `{name}` placeholders filled from `params`. */
export const hostText: (lang: Lang, key: HostText, params?: MessageParams) => string = messagesOf({ fr, en });
