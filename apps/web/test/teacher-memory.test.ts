import { describe, expect, it } from 'vitest';
import { classroomMemory, type KeyValueStore } from '../src/classroom/memory.js';

const mapStore = (): KeyValueStore => {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
};

describe('the teacher’s memory of this device', () => {
  it('finds an activity’s token, and keeps a token that came in a link', () => {
    const memory = classroomMemory(mapStore());
    expect(memory.teacher('aaaaaaaaaa')).toBeNull();
    expect(memory.rememberTeacherToken('aaaaaaaaaa', 't1')).toBe(true);
    expect(memory.teacher('aaaaaaaaaa')).toMatchObject({ activityId: 'aaaaaaaaaa', token: 't1', title: '' });
    memory.saveTeacher({
      activityId: 'aaaaaaaaaa',
      title: 'Listes',
      code: 'HX4P7Q',
      token: 't1',
      createdAt: 'x',
    });
    // A newer token replaces the old one and keeps the title and code.
    expect(memory.rememberTeacherToken('aaaaaaaaaa', 't2')).toBe(true);
    expect(memory.teacher('aaaaaaaaaa')).toMatchObject({ title: 'Listes', code: 'HX4P7Q', token: 't2' });
    expect(memory.teacherActivities()).toHaveLength(1);
  });

  it('says so when the browser keeps nothing, so that the link keeps its token', () => {
    const refusing: KeyValueStore = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(classroomMemory(refusing).rememberTeacherToken('aaaaaaaaaa', 't1')).toBe(false);
    expect(classroomMemory(null).rememberTeacherToken('aaaaaaaaaa', 't1')).toBe(false);
  });
});
