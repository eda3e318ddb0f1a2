import { createHmac, randomInt } from 'node:crypto';
import type { FeatureKv } from '@candyce/server';
import { codeAlphabet, normaliseCode } from './ids.js';

// A pupil's personal code: what brings them back into their copy from another
// computer, where their token is not. Six characters of the join codes'
// alphabet (about 30 bits), shown to the pupil once and kept on the server
// only as an HMAC keyed with the server's effective secret, so a copy of the
// database does not give the codes away. Key layout in the classroom's space:
//   p!<activity>!<digest>   { copy, member }

/** Length of a personal code. */
export const resumeCodeLength = 6;

/** Whose copy a personal code opens. */
export interface ResumeTarget {
  readonly copy: string;
  readonly member: string;
}

const prefix = 'p!';
const memberKey = (activity: string, copy: string, member: string) => `${activity}!${copy}!${member}`;

const newCode = (): string => {
  let out = '';
  for (let i = 0; i < resumeCodeLength; i++) out += codeAlphabet[randomInt(codeAlphabet.length)];
  return out;
};

/**
 * The personal codes of every activity: issued at a pupil's first join, or
 * again (a new one, the old one stops working) by the teacher or the pupil.
 * Held in memory (one entry per pupil) and written through.
 */
export class ResumeCodes {
  /** `<activity>!<digest>` → target. */
  private readonly byDigest = new Map<string, ResumeTarget>();
  /** `<activity>!<copy>!<member>` → digest. */
  private readonly byMember = new Map<string, string>();

  constructor(
    private readonly kv: FeatureKv,
    private readonly secret: string,
  ) {}

  /** Loads the stored digests. */
  async load(): Promise<void> {
    for (const [key, value] of await this.kv.list(prefix)) {
      const [, activity = '', digest = ''] = key.split('!');
      const target = value as ResumeTarget;
      if (typeof target?.copy !== 'string' || typeof target?.member !== 'string') continue;
      this.byDigest.set(`${activity}!${digest}`, { copy: target.copy, member: target.member });
      this.byMember.set(memberKey(activity, target.copy, target.member), digest);
    }
  }

  private digest(activity: string, code: string): string {
    return createHmac('sha256', this.secret).update(`resume\n${activity}\n${code}`).digest('base64url');
  }

  /** Whose copy `code` (as typed: case, spaces and dashes do not matter) opens in `activity`, or null. */
  find(activity: string, code: string): ResumeTarget | null {
    const normal = normaliseCode(code);
    if (normal.length !== resumeCodeLength) return null;
    return this.byDigest.get(`${activity}!${this.digest(activity, normal)}`) ?? null;
  }

  /** True when the pupil `member` of `copy` has a personal code. */
  has(activity: string, copy: string, member: string): boolean {
    return this.byMember.has(memberKey(activity, copy, member));
  }

  /**
   * Gives the pupil `member` of `copy` a new personal code, written before it
   * is returned; their previous code stops working. Call it in the
   * activity's turn.
   */
  async issue(activity: string, copy: string, member: string): Promise<string> {
    let code = newCode();
    while (this.byDigest.has(`${activity}!${this.digest(activity, code)}`)) code = newCode();
    const digest = this.digest(activity, code);
    const old = this.byMember.get(memberKey(activity, copy, member));
    await this.kv.batch([
      ...(old ? [{ type: 'del' as const, key: `${prefix}${activity}!${old}` }] : []),
      { type: 'put', key: `${prefix}${activity}!${digest}`, value: { copy, member } },
    ]);
    if (old) this.byDigest.delete(`${activity}!${old}`);
    this.byDigest.set(`${activity}!${digest}`, { copy, member });
    this.byMember.set(memberKey(activity, copy, member), digest);
    return code;
  }
}
