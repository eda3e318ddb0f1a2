import type { FeatureKv } from '@candyce/server';
import type { ActivityRecord, CopyRecord, HandinRecord } from './records.js';

// Key layout in the classroom's space:
//   secret                        (earlier versions: the open-mode secret, now the server's: see server.ts)
//   a!<activity>                  ActivityRecord
//   c!<activity>!<copy>           CopyRecord (members, state, grade, comments, stats)
//   h!<activity>!<copy>!<handin>  HandinRecord (written once, never changed)
const activityKey = (id: string) => `a!${id}`;
const copyKey = (activity: string, copy: string) => `c!${activity}!${copy}`;
const handinPrefix = (activity: string, copy: string) => `h!${activity}!${copy}!`;

/**
 * Typed access to the classroom's records. Activities and copies are few and
 * small: the service loads them all at start and writes each change through;
 * hand-ins (whole notebooks) are read only when asked for.
 */
export class ActivityStore {
  constructor(private readonly kv: FeatureKv) {}

  /** Resolves to every activity and every copy. */
  async loadAll(): Promise<{ activities: ActivityRecord[]; copies: CopyRecord[] }> {
    const activities = (await this.kv.list('a!')).map(([, v]) => v as ActivityRecord);
    const copies = (await this.kv.list('c!')).map(([, v]) => v as CopyRecord);
    return { activities, copies };
  }

  async saveActivity(activity: ActivityRecord): Promise<void> {
    await this.kv.put(activityKey(activity.id), activity);
  }

  /** Writes an activity and some of its copies in one atomic batch. */
  async saveAll(activity: ActivityRecord | null, copies: readonly CopyRecord[]): Promise<void> {
    await this.kv.batch([
      ...(activity ? [{ type: 'put' as const, key: activityKey(activity.id), value: activity }] : []),
      ...copies.map((c) => ({ type: 'put' as const, key: copyKey(c.activity, c.id), value: c })),
    ]);
  }

  async saveCopy(copy: CopyRecord): Promise<void> {
    await this.kv.put(copyKey(copy.activity, copy.id), copy);
  }

  /** Stores a hand-in and the copy's new state together. */
  async addHandin(copy: CopyRecord, handin: HandinRecord): Promise<void> {
    await this.kv.batch([
      { type: 'put', key: handinPrefix(copy.activity, copy.id) + handin.id, value: handin },
      { type: 'put', key: copyKey(copy.activity, copy.id), value: copy },
    ]);
  }

  /** Deletes a copy's record and every hand-in of it, in one atomic batch. */
  async deleteCopy(copy: CopyRecord): Promise<void> {
    const handins = await this.kv.list(handinPrefix(copy.activity, copy.id));
    await this.kv.batch([
      { type: 'del', key: copyKey(copy.activity, copy.id) },
      ...handins.map(([key]) => ({ type: 'del' as const, key })),
    ]);
  }

  /** Resolves to the id and time of every hand-in of a copy, oldest first. */
  async handins(activity: string, copy: string): Promise<{ id: string; at: string }[]> {
    return (await this.kv.list(handinPrefix(activity, copy))).map(([, v]) => {
      const { id, at } = v as HandinRecord;
      return { id, at };
    });
  }

  /** Resolves to one hand-in, or undefined. */
  async handin(activity: string, copy: string, id: string): Promise<HandinRecord | undefined> {
    return (await this.kv.get(handinPrefix(activity, copy) + id)) as HandinRecord | undefined;
  }
}
