// Data files attached to a notebook land in browser Python's working
// directory (issue 18): written with the FS API, refreshed when their sha256
// changes, removed when they leave the list, and written again into a new
// worker after a restart.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WorkingFile } from '../src/index.js';
import { runCode } from './helpers/notebook.js';
import { usePyodide } from './helpers/pyodide.js';

const kernel = usePyodide({ interruptTimeoutMs: 3000 });

const file = (name: string, text: string | Uint8Array): WorkingFile => {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return { name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
};

const stdout = async (code: string): Promise<string> => {
  const { outputs } = await runCode(kernel(), code);
  return outputs.map((o) => ('text' in o ? String(o.text) : JSON.stringify(o))).join('');
};

describe('data files in browser Python', () => {
  it("lets open('data.csv').read() read an attached file, and sees it change and go", async () => {
    await kernel().syncFiles!([file('data.csv', 'x,y\n1,2\n'), file('élèves.txt', 'Ada\n')]);
    expect(await stdout("print(open('data.csv').read(), end='')")).toBe('x,y\n1,2\n');
    expect(
      await stdout("import os\nprint(sorted(f for f in os.listdir() if not f.startswith('.')))"),
    ).toContain("'élèves.txt'");
    await kernel().syncFiles!([file('data.csv', 'x,y\n3,4\n')]);
    expect(await stdout("print(open('data.csv').read(), end='')")).toBe('x,y\n3,4\n');
    expect(await stdout("import os\nprint(os.path.exists('élèves.txt'))")).toBe('False\n');
  }, 60_000);

  it('keeps binary bytes as they are', async () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    await kernel().syncFiles!([file('all.bin', bytes)]);
    expect(await stdout("print(open('all.bin','rb').read() == bytes(range(256)))")).toBe('True\n');
  }, 60_000);

  it('writes the files again into the worker started by a restart', async () => {
    const files = [file('data.csv', 'after restart\n')];
    await kernel().syncFiles!(files);
    await kernel().restart();
    await kernel().syncFiles!(files);
    expect(await stdout("print(open('data.csv').read(), end='')")).toBe('after restart\n');
  }, 60_000);

  it('ignores a name that would leave the working directory', async () => {
    await kernel().syncFiles!([file('../escape.txt', 'no'), file('a/b.txt', 'no')]);
    expect(await stdout("import os\nprint(os.path.exists('../escape.txt'), os.path.exists('a'))")).toBe(
      'False False\n',
    );
  }, 60_000);
});
