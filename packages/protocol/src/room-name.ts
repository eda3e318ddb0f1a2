/** Longest room name accepted. */
export const maxRoomNameLength = 128;

const pattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Returns null when `name` is a valid room name, else a sentence saying why not.
 * A room name is 1 to 128 characters among letters, digits, `_`, `.` and `-`,
 * and does not start with `.` or `-`: it appears in URLs and storage keys unescaped.
 */
export const roomNameProblem = (name: string): string | null => {
  if (name.length === 0) return 'Room name is empty';
  if (name.length > maxRoomNameLength)
    return `Room name is ${name.length} characters long, at most ${maxRoomNameLength} allowed`;
  if (!pattern.test(name))
    return `Room name ${JSON.stringify(name)} may only hold letters, digits, "_", "." and "-", and must start with a letter, digit or "_"`;
  return null;
};
