import type { Lang } from '@candyce/protocol';
import { HttpError } from '@candyce/server';

// The classroom's messages to users, in French and English. French is the
// default: a request gets English only when its Accept-Language prefers it.

/** The language of a request (its Accept-Language): see @candyce/protocol. */
export { langOf } from '@candyce/server';
/** A language of the messages. (defined once in @candyce/protocol). */
export type { Lang };

type Text = { fr: string; en: string };

/** The stable error codes of the classroom API, with their HTTP status. */
export const errorStatus = {
  'unknown-code': 404,
  'code-expired': 410,
  'name-required': 400,
  'name-too-long': 400,
  'unknown-pair-code': 404,
  'unknown-resume-code': 404,
  'pair-full': 409,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'bad-request': 400,
  'read-only': 409,
  'too-many-attempts': 429,
  'activity-full': 409,
  'name-reserved': 409,
  'class-handin': 403,
  'token-revoked': 401,
  'unknown-teacher-code': 404,
} as const;

/** A stable error code of the classroom API. */
export type ErrorCode = keyof typeof errorStatus;

const messages: Record<Exclude<ErrorCode, 'bad-request'>, Text> = {
  'unknown-code': {
    fr: 'Ce code ne correspond à aucune activité : vérifiez-le auprès de votre enseignant.',
    en: 'This code matches no activity: check it with your teacher.',
  },
  'code-expired': {
    fr: 'Cette activité ne peut plus être rejointe (inscriptions fermées ou date limite passée).',
    en: 'This activity can no longer be joined (joining is closed or the deadline has passed).',
  },
  'name-required': {
    fr: 'Indiquez votre nom pour rejoindre l’activité.',
    en: 'Give your name to join the activity.',
  },
  'name-too-long': {
    fr: 'Ce nom est trop long (60 caractères au plus).',
    en: 'This name is too long (at most 60 characters).',
  },
  'unknown-pair-code': {
    fr: 'Ce code de binôme est inconnu dans cette activité : vérifiez-le auprès de votre partenaire.',
    en: 'This pair code is unknown in this activity: check it with your partner.',
  },
  'unknown-resume-code': {
    fr: 'Ce code personnel ne correspond à aucune copie de cette activité : vérifiez-le, ou demandez un nouveau code à votre enseignant.',
    en: 'This personal code matches no copy of this activity: check it, or ask your teacher for a new code.',
  },
  'pair-full': {
    fr: 'Ce binôme est déjà complet (deux élèves).',
    en: 'This pair is already full (two pupils).',
  },
  unauthorized: {
    fr: 'Jeton absent, invalide ou expiré : rouvrez le lien donné par votre enseignant.',
    en: 'Missing, invalid or expired token: open the link your teacher gave you again.',
  },
  forbidden: {
    fr: 'Accès refusé : votre jeton ne donne pas accès à cette page.',
    en: 'Forbidden: your token does not give access to this page.',
  },
  'not-found': {
    fr: 'Introuvable : cette activité, cette copie ou ce rendu n’existe pas.',
    en: 'Not found: this activity, copy or hand-in does not exist.',
  },
  'too-many-attempts': {
    fr: 'Trop de codes erronés depuis cet appareil : attendez une minute avant de réessayer.',
    en: 'Too many wrong codes from this device: wait a minute before trying again.',
  },
  'activity-full': {
    fr: 'Cette activité a atteint son nombre maximal de copies : demandez à votre enseignant d’en autoriser davantage.',
    en: 'This activity has reached its largest number of copies: ask your teacher to allow more.',
  },
  'name-reserved': {
    fr: 'Ce nom est celui de l’enseignant : choisissez le vôtre.',
    en: 'This is the teacher’s name: choose your own.',
  },
  'class-handin': {
    fr: 'En classe entière, la copie est commune : c’est l’enseignant qui la rend.',
    en: 'In whole-class mode the copy is shared: the teacher hands it in.',
  },
  'token-revoked': {
    fr: 'Ce lien a été révoqué par l’enseignant : utilisez le nouveau lien.',
    en: 'This link was revoked by the teacher: use the new link.',
  },
  'unknown-teacher-code': {
    fr: 'Ce code enseignant ne correspond à aucune activité : vérifiez-le (10 caractères, donnés à la création).',
    en: 'This teacher code matches no activity: check it (10 characters, given at creation).',
  },
  'read-only': {
    fr: 'Cette copie est déjà rendue : votre enseignant doit la remettre « en cours » pour la rendre à nouveau.',
    en: 'This copy is already handed in: your teacher must set it back to “in progress” before you hand it in again.',
  },
};

/**
 * Returns the HTTP error of a code in the request's language. `detail`, in
 * both languages, is the message of a `bad-request` (which field is wrong).
 */
export const classroomError = (lang: Lang, code: ErrorCode, detail?: Text): HttpError => {
  const text =
    code === 'bad-request'
      ? (detail ?? { fr: 'Requête invalide.', en: 'Bad request.' })
      : (detail ?? messages[code]);
  return new HttpError(errorStatus[code], text[lang], { code });
};

/** Shorthand for a bad-request error with a message in both languages. */
export const badRequest = (lang: Lang, fr: string, en: string): HttpError =>
  classroomError(lang, 'bad-request', { fr, en });
