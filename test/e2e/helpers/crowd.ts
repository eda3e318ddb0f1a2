import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Stack } from './stack.js';

/** A pupil who joined through the API: the answer of `POST /api/join`. */
export interface JoinedPupil {
  activity: { id: string };
  pupil: { id: string; name: string };
  copy: { id: string | null; room: string };
  token: string;
  resumeCode?: string;
}

/** Joins the activity of `code` as `name` through the API, as the join page does. */
export const joinByApi = async (stack: Stack, code: string, name: string): Promise<JoinedPupil> => {
  const response = await fetch(`${stack.http()}/api/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, name }),
  });
  if (!response.ok) throw new Error(`join answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as JoinedPupil;
};

/**
 * Puts `pupils` in their copies' rooms as stock y-websocket clients with a
 * presence state (what a class in the room looks like to a page), without a
 * browser each. Resolves once every client is connected; returns a function
 * that disconnects them all.
 */
export const crowdIn = async (stack: Stack, pupils: readonly JoinedPupil[]): Promise<() => void> => {
  const providers = pupils.map((p, i) => {
    const provider = new WebsocketProvider(stack.sync(), p.copy.room, new Y.Doc(), {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: p.token },
      disableBc: true,
    });
    provider.awareness.setLocalStateField('user', {
      name: p.pupil.name,
      color: ['#1d4ed8', '#b91c1c', '#047857', '#7e22ce'][i % 4],
      role: 'student',
    });
    return provider;
  });
  await Promise.all(
    providers.map(
      (provider) =>
        new Promise<void>((resolve) => {
          if (provider.synced) resolve();
          else provider.once('sync', () => resolve());
        }),
    ),
  );
  return () => {
    for (const provider of providers) {
      provider.destroy();
      provider.doc.destroy();
    }
  };
};
