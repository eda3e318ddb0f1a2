import { jupyterGateway } from '@candyce/kernels';
import { afterAll } from 'vitest';
import {
  startJupyterServer,
  type TestJupyterServer,
} from '../../../packages/kernels/test/helpers/jupyter-server.js';
import { type Stack, useStack } from './stack.js';

/**
 * The end-to-end stack of {@link useStack} with server-side execution on a
 * real Jupyter Server (Debian's jupyter-server and python3-ipykernel),
 * started before the suite's tests and stopped after them.
 */
export const useJupyterStack = (): Stack => {
  let jupyter: TestJupyterServer | undefined;
  const stack = useStack(async () => {
    jupyter = await startJupyterServer();
    return { execution: { gateway: jupyterGateway({ url: jupyter.url, token: jupyter.token }) } };
  });
  afterAll(async () => {
    await jupyter?.stop();
  });
  return stack;
};
