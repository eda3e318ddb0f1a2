// What the web app remembers on this device: language, first name, role,
// recent rooms. Storage may be refused; the app then works without memory.

const read = (key: string): string | null => {
  try {
    return localStorage.getItem(`candyce:${key}`);
  } catch {
    return null;
  }
};

const write = (key: string, value: string): void => {
  try {
    localStorage.setItem(`candyce:${key}`, value);
  } catch {
    // Nothing to remember with: fine.
  }
};

/** The user's remembered choices. */
export const prefs = {
  lang: (): 'fr' | 'en' => (read('lang') === 'en' ? 'en' : 'fr'),
  setLang: (lang: 'fr' | 'en') => write('lang', lang),
  name: (): string => read('name') ?? '',
  setName: (name: string) => write('name', name),
  role: (): string => read('role') ?? 'student',
  setRole: (role: string) => write('role', role),
  recent: (): string[] => {
    try {
      const list = JSON.parse(read('recent') ?? '[]') as unknown;
      return Array.isArray(list) ? list.filter((r): r is string => typeof r === 'string').slice(0, 8) : [];
    } catch {
      return [];
    }
  },
  addRecent: (room: string) => {
    const list = [room, ...prefs.recent().filter((r) => r !== room)].slice(0, 8);
    write('recent', JSON.stringify(list));
  },
};
