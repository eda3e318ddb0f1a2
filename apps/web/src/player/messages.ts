import { type Lang, type MessageParams, messagesOf } from '@candyce/protocol';

// Every sentence the player page shows, in French and English.

const fr = {
  waiting: 'En attente de la plateforme hôte…',
  loading: 'Chargement du carnet…',
  notInFrame:
    'Cette page se place dans une plateforme hôte (iframe) : ouvrez le carnet depuis votre plateforme.',
  badUrl: 'Adresse du lecteur incomplète : {detail}. Rouvrez l’activité depuis votre plateforme.',
  readonlyView: 'Consultation seule : ce carnet ne peut pas être modifié ici.',
  readonlyFinished: 'Copie rendue : elle ne peut plus être modifiée.',
  readonlyCorrected: 'Copie corrigée : elle ne peut plus être modifiée.',
  localView: 'Aperçu : ce carnet n’est pas encore partagé sur le serveur ; rien n’est enregistré.',
  saved: 'Enregistré.',
  unauthorized:
    'Accès refusé : le jeton est absent, invalide ou expiré. Rouvrez l’activité depuis votre plateforme.',
  forbidden: 'Accès refusé : ce carnet n’est pas ouvert à votre compte.',
  badContent: 'Le contenu reçu n’est pas un carnet Jupyter valide : {detail}',
  network: 'Le serveur Candyce ne répond pas. Vérifiez la connexion et réessayez.',
  server: 'Le serveur Candyce a refusé le carnet ({status}) : {detail}',
  notLoaded: 'Le carnet n’est pas encore chargé.',
  readonlyReplace: 'Ce carnet est en lecture seule : son contenu ne peut pas être remplacé.',
};

type Key = keyof typeof fr;

const en: Record<Key, string> = {
  waiting: 'Waiting for the host platform…',
  loading: 'Loading the notebook…',
  notInFrame: 'This page belongs inside a host platform (iframe): open the notebook from your platform.',
  badUrl: 'The player’s address is incomplete: {detail}. Open the activity again from your platform.',
  readonlyView: 'Read only: this notebook cannot be changed here.',
  readonlyFinished: 'Handed in: this copy can no longer be changed.',
  readonlyCorrected: 'Corrected: this copy can no longer be changed.',
  localView: 'Preview: this notebook is not shared on the server yet; nothing is saved.',
  saved: 'Saved.',
  unauthorized:
    'Access refused: the token is missing, invalid or expired. Open the activity again from your platform.',
  forbidden: 'Access refused: this notebook is not open to your account.',
  badContent: 'The content received is not a valid Jupyter notebook: {detail}',
  network: 'The Candyce server does not answer. Check the connection and try again.',
  server: 'The Candyce server refused the notebook ({status}): {detail}',
  notLoaded: 'The notebook is not loaded yet.',
  readonlyReplace: 'This notebook is read-only: its content cannot be replaced.',
};

/** A key of the player's messages. */
export type PlayerMessage = Key;

/** Returns the message `key` in `lang`, with `{name}` placeholders filled from `params`. */
export const playerText: (lang: Lang, key: PlayerMessage, params?: MessageParams) => string = messagesOf({
  fr,
  en,
});
