import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { codeLanguageOf, languageKeyOf, notebookLanguageOf } from '../src/cells/code-language.js';

describe('the language of code cells', () => {
  it('is Python when the notebook names no language', () => {
    expect(codeLanguageOf(undefined)).toBe('python');
    expect(codeLanguageOf({})).toBe('python');
    expect(codeLanguageOf({ kernelspec: { name: ' ' } })).toBe('python');
  });

  it('comes from language_info first, then the kernelspec’s language, then its name', () => {
    expect(codeLanguageOf({ language_info: { name: 'python' }, kernelspec: { language: 'R' } })).toBe(
      'python',
    );
    expect(
      codeLanguageOf({ kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }),
    ).toBe('python');
    expect(codeLanguageOf({ kernelspec: { name: 'python3' } })).toBe('python');
    expect(codeLanguageOf({ kernelspec: { name: 'deno', language: 'typescript' } })).toBe('typescript');
    expect(codeLanguageOf({ language_info: { name: 'JavaScript' } })).toBe('javascript');
  });

  it('knows the languages of the usual Jupyter kernels that CodeMirror has modes for', () => {
    expect(codeLanguageOf({ kernelspec: { name: 'ir', language: 'R' }, language_info: { name: 'R' } })).toBe(
      'r',
    );
    expect(codeLanguageOf({ kernelspec: { name: 'julia-1.10', language: 'julia' } })).toBe('julia');
    expect(codeLanguageOf({ kernelspec: { name: 'ocaml-jupyter' } })).toBe('ocaml');
    expect(codeLanguageOf({ kernelspec: { name: 'bash' } })).toBe('shell');
  });

  it('is plain text, with no error, for a language without a CodeMirror mode here', () => {
    expect(codeLanguageOf({ kernelspec: { name: 'ihaskell', language: 'haskell' } })).toBe('plain');
    expect(codeLanguageOf({ language_info: { name: 'brainfuck' } })).toBe('plain');
  });

  it('ignores metadata of the wrong shape', () => {
    expect(codeLanguageOf({ kernelspec: 'python3', language_info: ['x'] })).toBe('python');
    expect(codeLanguageOf({ language_info: { name: 42 }, kernelspec: { language: 'python' } })).toBe(
      'python',
    );
    expect(codeLanguageOf('nonsense')).toBe('python');
  });

  it('is read from the metadata of a shared document, stored as a Y.Map or as plain JSON', () => {
    const doc = new Y.Doc();
    expect(notebookLanguageOf(doc)).toBe('python');
    const metadata = new Y.Map<unknown>();
    doc.getMap('meta').set('metadata', metadata);
    metadata.set('kernelspec', { name: 'ihaskell', language: 'haskell' });
    expect(notebookLanguageOf(doc)).toBe('plain');
    doc.getMap('meta').set('metadata', { language_info: { name: 'javascript' } });
    expect(notebookLanguageOf(doc)).toBe('javascript');
  });

  it('decides what each cell’s editor highlights: code in the notebook’s language, Markdown, nothing for raw', () => {
    expect(languageKeyOf('code', 'python')).toBe('python');
    expect(languageKeyOf('code')).toBe('python');
    expect(languageKeyOf('code', 'typescript')).toBe('typescript');
    expect(languageKeyOf('code', 'plain')).toBeNull();
    expect(languageKeyOf('markdown', 'plain')).toBe('markdown');
    expect(languageKeyOf('raw', 'python')).toBeNull();
  });
});
