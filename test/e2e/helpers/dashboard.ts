import { appendOutput } from '@candyce/model';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { watchErrors } from './browser.js';
import type { Stack } from './stack.js';

/**
 * The screens a lesson meets: a 1024×768 projector or laptop, a tablet, a
 * phone, and a 1024×768 screen at 200 % and 400 % browser zoom. Zoom is
 * emulated as the browser does it: the CSS viewport shrinks by the zoom
 * factor and the device pixel ratio grows by it (1024×768 at 400 % is a
 * 256×192 CSS-pixel viewport at 4 device pixels per CSS pixel).
 */
export const screens: { name: string; options: BrowserContextOptions }[] = [
  { name: '1024×768', options: { viewport: { width: 1024, height: 768 } } },
  { name: '768×1024', options: { viewport: { width: 768, height: 1024 } } },
  {
    name: '390×844',
    options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  },
  { name: '200 %', options: { viewport: { width: 512, height: 384 }, deviceScaleFactor: 2 } },
  { name: '400 %', options: { viewport: { width: 256, height: 192 }, deviceScaleFactor: 4 } },
];

/** What the API answers when an activity is created. */
export interface CreatedActivity {
  id: string;
  code: string;
  teacherToken: string;
  teacherCode?: string;
}

/** A small lesson: a markdown instruction and a code cell. */
export const lessonNotebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    { id: 'consigne', cell_type: 'markdown', metadata: {}, source: '# Boucles\nAffichez les carrés.' },
    {
      id: 'reponse',
      cell_type: 'code',
      metadata: {},
      source: '# votre code',
      outputs: [],
      execution_count: null,
    },
  ],
};

/** Creates an activity through the API, as the home page does. */
export const createActivityApi = async (
  stack: Stack,
  body: Record<string, unknown> = {},
): Promise<CreatedActivity> => {
  const response = await fetch(`${stack.http()}/api/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Boucles', mode: 'individual', notebook: lessonNotebook, ...body }),
  });
  if (response.status !== 201)
    throw new Error(`create answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as CreatedActivity;
};

/** A pupil joins through the API; resolves to the join answer. */
export const joinApi = async (
  stack: Stack,
  code: string,
  name: string,
): Promise<{ token: string; copy: { id: string; room: string } }> => {
  const response = await fetch(`${stack.http()}/api/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, name }),
  });
  if (!response.ok) throw new Error(`join answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { token: string; copy: { id: string; room: string } };
};

/** Calls a teacher endpoint of the classroom API with the activity's teacher token; resolves to its JSON. */
export const teacherCall = async (
  stack: Stack,
  activity: CreatedActivity,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> => {
  const response = await fetch(`${stack.http()}/api/activities/${activity.id}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${activity.teacherToken}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
};

/** Opens the dashboard of `activity` in a new French context with `options` (a screen). */
export const openDashboard = async (
  stack: Stack,
  activity: CreatedActivity,
  options: BrowserContextOptions = { viewport: { width: 1200, height: 900 } },
): Promise<Page> => {
  const context = await stack.browser.browser.newContext({ locale: 'fr-FR', ...options });
  const page = await context.newPage();
  watchErrors(page, stack.errors);
  await page.goto(`${stack.web.url}/a/${activity.id}#token=${encodeURIComponent(activity.teacherToken)}`);
  await page.locator('.join-code').waitFor();
  return page;
};

/**
 * Adds an error output to the cell `cellId` of `room` as a pupil's page would
 * (a stock y-websocket client with the pupil's token), so that the copy's
 * dashboard row counts one more error. Resolves once the server has it.
 */
export const addErrorOutput = (stack: Stack, room: string, token: string, cellId: string): Promise<void> =>
  editRoom(stack, room, token, (doc) =>
    appendOutput(doc, cellId, {
      output_type: 'error',
      ename: 'NameError',
      evalue: "name 'x' is not defined",
      traceback: [],
    }),
  );

/** Edits the document of `room` as a teacher's page would (a stock y-websocket client with `token`). */
export const editRoom = async (
  stack: Stack,
  room: string,
  token: string,
  edit: (doc: Y.Doc) => void,
): Promise<void> => {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(stack.sync(), room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
  try {
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    edit(doc);
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    provider.destroy();
    doc.destroy();
  }
};

/** A control of a copies row that a teacher cannot reach without scrolling sideways. */
export interface OffScreenControl {
  row: string;
  control: string;
  left: number;
  right: number;
}

/**
 * Every control of every copies row (links, buttons, selects, checkboxes)
 * whose box is not wholly inside the viewport's width and inside every
 * ancestor that clips it (the table's scroll box): such a control is cut
 * off, or needs a sideways scroll to be seen. Horizontal positions only, so
 * a row below the fold counts as long as it fits across.
 */
export const offScreenRowControls = (page: Page): Promise<OffScreenControl[]> =>
  page.evaluate(() => {
    const out: { row: string; control: string; left: number; right: number }[] = [];
    const clippers = (el: Element) => {
      const boxes: DOMRect[] = [];
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (style.overflowX !== 'visible' && p !== document.documentElement && p !== document.body)
          boxes.push(p.getBoundingClientRect());
      }
      return boxes;
    };
    for (const tr of document.querySelectorAll('table.copies tbody tr')) {
      const row = tr.querySelector('.who')?.textContent?.trim() ?? '?';
      for (const el of tr.querySelectorAll<HTMLElement>('a, button, select, input')) {
        const r = el.getBoundingClientRect();
        const control = el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName;
        let min = 0;
        let max = window.innerWidth;
        for (const box of clippers(el)) {
          min = Math.max(min, box.left);
          max = Math.min(max, box.right);
        }
        if (r.width === 0 || r.left < min - 0.5 || r.right > max + 0.5)
          out.push({ row, control, left: Math.round(r.left), right: Math.round(r.right) });
      }
    }
    return out;
  });
