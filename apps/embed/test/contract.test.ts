import { describe, expect, it } from 'vitest';
import {
  accessOf,
  agreedContracts,
  formatContractId,
  isMode,
  isTheme,
  isWorkflow,
  methods,
  parseContractId,
  playerContracts,
  readDeclaration,
} from '../src/contract.js';

describe('contract ids', () => {
  it('reads name:version, variants included', () => {
    expect(parseContractId('simple-content(json):1')).toEqual({ name: 'simple-content(json)', version: 1 });
    expect(parseContractId('mode:12')).toEqual({ name: 'mode', version: 12 });
    expect(formatContractId({ name: 'theme', version: 1 })).toBe('theme:1');
  });

  it('rejects ids without a positive version, naming them', () => {
    for (const id of ['mode', 'mode:0', 'mode:1:2', ':1', 'mode:v1', 'mode:-1', 'mode:01']) {
      expect(() => parseContractId(id)).toThrow(RangeError);
    }
    expect(() => parseContractId('mode:0')).toThrow('"mode:0"');
  });

  it('declares the four contracts of the player', () => {
    expect(playerContracts.map(formatContractId)).toEqual([
      'simple-content(json):1',
      'mode:1',
      'theme:1',
      'workflow:1',
    ]);
  });

  it('never gives two methods the same name', () => {
    const app = Object.values(methods.application);
    const mp = Object.values(methods.metaplayer);
    const handshake = Object.values(methods.handshake);
    const all = [...app, ...mp, ...handshake];
    expect(new Set(all).size).toBe(all.length);
    // postmessage-rpc keeps "ready" for its own handshake.
    expect(all).not.toContain('ready');
  });
});

describe('declarations', () => {
  it('reads a declaration and treats a missing version as 0', () => {
    expect(readDeclaration([{ name: 'mode', version: 1 }, { name: 'x' }])).toEqual([
      { name: 'mode', version: 1 },
      { name: 'x', version: 0 },
    ]);
  });

  it('rejects what is not a list of named contracts', () => {
    expect(() => readDeclaration('mode:1')).toThrow(TypeError);
    expect(() => readDeclaration([{ version: 1 }])).toThrow('item 0 has no name');
    expect(() => readDeclaration([{ name: 'mode', version: 1.5 }])).toThrow('"mode"');
    expect(() => readDeclaration([null])).toThrow('item 0');
  });

  it('puts in force only the contracts both sides declared with the same version', () => {
    const agreed = agreedContracts(playerContracts, [
      { name: 'simple-content(json)', version: 1 },
      { name: 'mode', version: 2 },
      { name: 'theme', version: 0 },
      { name: 'reload', version: 1 },
    ]);
    expect([...agreed]).toEqual(['simple-content(json)']);
    expect(agreedContracts([{ name: 'mode', version: 0 }], [{ name: 'mode', version: 0 }]).size).toBe(0);
  });
});

describe('access', () => {
  it('lets the teacher edit in create and review, whatever the workflow', () => {
    for (const workflow of ['current', 'finished', 'corrected'] as const) {
      expect(accessOf('create', workflow)).toEqual({ readonly: false, reason: null });
      expect(accessOf('review', workflow)).toEqual({ readonly: false, reason: null });
    }
  });

  it('makes view read-only', () => {
    expect(accessOf('view', 'current')).toEqual({ readonly: true, reason: 'view' });
  });

  it('closes a pupil’s copy once finished or corrected', () => {
    expect(accessOf('assignment', 'current').readonly).toBe(false);
    expect(accessOf('assignment', 'finished')).toEqual({ readonly: true, reason: 'finished' });
    expect(accessOf('assignment', 'corrected')).toEqual({ readonly: true, reason: 'corrected' });
  });

  it('recognises modes, workflows and themes, and nothing else', () => {
    expect(['create', 'assignment', 'review', 'view'].every(isMode)).toBe(true);
    expect(isMode('edit')).toBe(false);
    expect(isMode(undefined)).toBe(false);
    expect(['current', 'finished', 'corrected'].every(isWorkflow)).toBe(true);
    expect(isWorkflow('done')).toBe(false);
    expect([null, 'light', 'dark'].every(isTheme)).toBe(true);
    expect(isTheme('blue')).toBe(false);
    expect(isTheme(undefined)).toBe(false);
  });
});
