import { createHmac, randomInt } from 'node:crypto';
import { codeAlphabet, normaliseCode } from './ids.js';

// Teacher codes: a short code shown once at an activity's creation, with
// which its teacher gets a new teacher token on another computer (until
// sign-in exists). The server keeps only a keyed hash of it (HMAC-SHA256
// with the effective secret), so neither the database nor a backup tells
// the code; a code is checked in constant time per request.

/** Length of a teacher code (31^10 ≈ 8·10^14 codes: guessing one at 60 tries a minute takes aeons). */
export const teacherCodeLength = 10;

const domain = 'candyce-teacher-code\u0000';

/** Returns a new teacher code: 10 characters of the join codes' alphabet. */
export const newTeacherCode = (): string => {
  let out = '';
  for (let i = 0; i < teacherCodeLength; i++) out += codeAlphabet[randomInt(codeAlphabet.length)];
  return out;
};

/** Returns a teacher code as people write it: two groups of five, `ABCDE-FGHJK`. */
export const displayTeacherCode = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;

/**
 * The index of teacher codes of the activities in memory, by keyed hash.
 * `key` is the effective token secret: a server given another secret no
 * longer recognises the codes (its tokens change too).
 */
export class TeacherCodes {
  private readonly byHash = new Map<string, string>();

  constructor(private readonly key: string) {}

  /** Returns the stored form of `code` (normalised: case, spaces and dashes do not matter). */
  hash(code: string): string {
    return createHmac('sha256', this.key)
      .update(domain + normaliseCode(code))
      .digest('base64url');
  }

  /** Indexes an activity's stored hash (activities created before teacher codes have none). */
  add(activity: string, hash: string | undefined): void {
    if (hash) this.byHash.set(hash, activity);
  }

  /** Issues a code no other activity has; resolves to the code (shown once) and its hash (stored). */
  issue(activity: string): { code: string; hash: string } {
    let code = newTeacherCode();
    while (this.byHash.has(this.hash(code))) code = newTeacherCode();
    const hash = this.hash(code);
    this.byHash.set(hash, activity);
    return { code, hash };
  }

  /** Forgets a hash (an activity whose creation failed). */
  remove(hash: string): void {
    this.byHash.delete(hash);
  }

  /** Returns the activity of a typed code, or undefined; any input costs at most one hash of 64 characters. */
  find(typed: string): string | undefined {
    const code = normaliseCode(typed.slice(0, 64));
    if (code.length !== teacherCodeLength) return undefined;
    // A lookup by keyed hash: its timing tells nothing of the codes, whose hashes nobody knows.
    return this.byHash.get(this.hash(code));
  }
}
