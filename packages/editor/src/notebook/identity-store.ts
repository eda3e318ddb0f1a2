// A pseudonymous id for this browser when no token gives one, kept in
// localStorage so that a pupil keeps their colour across reloads. Storage may
// be refused (sandboxed frames, privacy settings): then the id lasts the page.

let fallback: string | undefined;

const randomId = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : Math.random().toString(36).slice(2);

/** Returns this browser's pseudonymous id. */
export const browserUserId = (): string => {
  try {
    const stored = localStorage.getItem('candyce:user-id');
    if (stored) return stored;
    const id = randomId();
    localStorage.setItem('candyce:user-id', id);
    return id;
  } catch {
    fallback ??= randomId();
    return fallback;
  }
};
