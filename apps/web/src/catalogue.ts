// Every string of the web app (home and notebook pages), French first.

/** The French catalogue: the reference. */
export const fr = {
  'app.name': 'Candyce',
  'app.tagline': 'Carnets Jupyter partagés en direct, pour la classe.',
  'lang.switch': 'English',
  'lang.switch.label': 'Switch to English',
  'home.title': 'Ouvrir ou créer un carnet',
  'home.room': 'Nom du carnet',
  'home.room.help': 'Lettres, chiffres, tirets. Le même nom ouvre le même carnet pour tout le monde.',
  'home.name': 'Votre prénom',
  'home.role': 'Vous êtes',
  'home.role.student': 'élève',
  'home.role.teacher': 'enseignant·e',
  'home.role.viewer': 'lecteur·rice',
  'home.open': 'Ouvrir le carnet',
  'home.recent': 'Carnets récents',
  'home.invalid': 'Choisissez un nom de carnet (lettres, chiffres, - et _).',
  'notebook.back': '← Accueil',
  'notebook.askName': 'Votre prénom, pour que les autres vous reconnaissent',
  'notebook.join': 'Rejoindre',
  'notebook.title': '{room} — Candyce',
} as const;

/** A key of the web app's catalogue. */
export type WebMessageKey = keyof typeof fr;

/** The English catalogue. */
export const en: { readonly [K in WebMessageKey]: string } = {
  'app.name': 'Candyce',
  'app.tagline': 'Live shared Jupyter notebooks, for the classroom.',
  'lang.switch': 'Français',
  'lang.switch.label': 'Passer en français',
  'home.title': 'Open or create a notebook',
  'home.room': 'Notebook name',
  'home.room.help': 'Letters, digits, dashes. The same name opens the same notebook for everyone.',
  'home.name': 'Your first name',
  'home.role': 'You are',
  'home.role.student': 'student',
  'home.role.teacher': 'teacher',
  'home.role.viewer': 'viewer',
  'home.open': 'Open the notebook',
  'home.recent': 'Recent notebooks',
  'home.invalid': 'Choose a notebook name (letters, digits, - and _).',
  'notebook.back': '← Home',
  'notebook.askName': 'Your first name, so that the others know you',
  'notebook.join': 'Join',
  'notebook.title': '{room} — Candyce',
};

/** Returns the message `key` in `lang`, with `{placeholders}` filled in. */
export const webText = (lang: 'fr' | 'en', key: WebMessageKey, params: Record<string, string> = {}): string =>
  (lang === 'en' ? en : fr)[key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
