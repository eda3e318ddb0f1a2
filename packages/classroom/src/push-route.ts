import type { IncomingMessage, ServerResponse } from 'node:http';
import { isValidCellId } from '@candyce/model';
import { json } from '@candyce/server';
import { readJson } from './bodies.js';
import type { ActivityState, Classroom } from './classroom.js';
import { badRequest, type Lang } from './i18n.js';

/** Most cells one push of chosen cells names (each costs a pass over every copy). */
export const maxPushCells = 50;

/**
 * `GET /api/activities/<id>/push`: the preview of a push (cells added,
 * changed, removed since the previous one). `POST`: the push, of the whole
 * template, or with `{ cells: [ids] }` of those cells only.
 */
export const pushRoute = async (
  classroom: Classroom,
  lang: Lang,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
  state: ActivityState,
): Promise<void> => {
  if (method === 'GET') {
    json(res, 200, await classroom.pushPreview(state));
    return;
  }
  const body = await readJson(lang, req);
  const cells = body.cells;
  if (cells === undefined || cells === null) {
    json(res, 200, await classroom.push(state));
    return;
  }
  if (
    !Array.isArray(cells) ||
    cells.length === 0 ||
    cells.length > maxPushCells ||
    !cells.every((id) => typeof id === 'string' && isValidCellId(id))
  )
    throw badRequest(
      lang,
      `« cells » doit être une liste de 1 à ${maxPushCells} identifiants de cellules.`,
      `"cells" must be a list of 1 to ${maxPushCells} cell ids.`,
    );
  json(res, 200, await classroom.push(state, cells as string[]));
};
