// The manifest of a room's files is read from its state map, which any
// collaborator can write: only well-formed lines naming one path component
// reach the kernel.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { manifestOf } from '../src/run/room-files.js';
import { formatSize, inLang } from '../src/views/files-panel.js';

describe('the files manifest', () => {
  it('keeps well-formed lines and drops names that would leave the working directory', () => {
    const doc = new Y.Doc();
    const good = { name: 'data.csv', size: 8, sha256: 'a'.repeat(64) };
    doc
      .getMap('state')
      .set('files', [
        good,
        { name: '../../lib/candyce/_candyce.py', size: 1, sha256: 'b' },
        { name: 'a/b', size: 1, sha256: 'c' },
        { name: 'x', size: '1', sha256: 'd' },
        null,
        'text',
      ]);
    expect(manifestOf(doc)).toEqual([good]);
    doc.getMap('state').set('files', 'not a list');
    expect(manifestOf(doc)).toEqual([]);
  });

  it('shows the part of a server refusal in the user’s language', () => {
    const refusal =
      'Un nom de fichier ne peut pas contenir « / » ni « \\ ». / A file name may not contain "/" or "\\".';
    expect(inLang(refusal, 'fr')).toBe('Un nom de fichier ne peut pas contenir « / » ni « \\ ».');
    expect(inLang(refusal, 'en')).toBe('A file name may not contain "/" or "\\".');
    expect(inLang('No notebook named x', 'fr')).toBe('No notebook named x');
  });

  it('says sizes in the user’s language', () => {
    expect(formatSize(16, 'fr')).toBe('16 o');
    expect(formatSize(1536, 'en')).toBe('1.5 KB');
    expect(formatSize(20 * 1024 * 1024, 'fr')).toBe('20 Mo');
  });
});
