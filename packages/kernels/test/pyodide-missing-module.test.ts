// A module that browser Python does not have (numpy, absent from the core
// distribution served by default) ends the cell with a message in the class's
// language that names it and says what to do, after the usual traceback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frenchTexts, type KernelSession } from '../src/index.js';
import { nodePyodideGateway } from '../src/node.js';
import { runCode } from './helpers/notebook.js';

const tracebackOf = (outputs: Awaited<ReturnType<typeof runCode>>['outputs']) => {
  const error = outputs.find((o) => o.output_type === 'error');
  expect(error).toMatchObject({ ename: 'ModuleNotFoundError' });
  return error?.output_type === 'error' ? error.traceback.join('\n') : '';
};

describe('a missing module in browser Python', () => {
  let english: KernelSession;
  let french: KernelSession;
  beforeAll(async () => {
    [english, french] = await Promise.all([
      nodePyodideGateway().startKernel('python3'),
      nodePyodideGateway({ texts: frenchTexts }).startKernel('python3'),
    ]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([english?.shutdown(), french?.shutdown()]);
  });

  it('is named, with what to do, in English', async () => {
    const { result, outputs } = await runCode(english, 'x = 1\nimport numpy as np\nnp.zeros(3)');
    expect(result.status).toBe('error');
    const traceback = tracebackOf(outputs);
    expect(traceback).toMatch(/line 2/);
    expect(traceback).toContain('The module numpy is not available in the Python of this browser');
    expect(traceback).toContain('npm run pyodide:install -- <archive>');
    expect(traceback).toContain('server kernel');
  });

  it('is named by its top-level package, in French, from inside a function', async () => {
    const { outputs } = await runCode(french, 'def f():\n    from sympy.abc import x\n    return x\n\nf()');
    const traceback = tracebackOf(outputs);
    expect(traceback).toMatch(/line 2, in f/);
    expect(traceback).toContain("Le module sympy n'est pas disponible dans le Python de ce navigateur");
    expect(traceback).toContain('noyau du serveur');
  });

  it('says nothing more for other errors, nor for modules that are there', async () => {
    const { result, outputs } = await runCode(english, 'import json, math\nfrom math import nothing_here');
    expect(result.status).toBe('error');
    const error = outputs.find((o) => o.output_type === 'error');
    expect(error).toMatchObject({ ename: 'ImportError' });
    expect(JSON.stringify(error)).not.toContain('not available');
  });
});
