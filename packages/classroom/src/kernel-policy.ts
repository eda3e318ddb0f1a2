import { kernelLocationOf, kernelNameOf } from '@candyce/kernels';
import type { FeatureHost, KernelPolicy } from '@candyce/server';
import { parseRoom, templateRoom } from './ids.js';

/**
 * The classroom's say on server kernels. An activity's template and copies
 * form one group, so a class shares the per-activity cap. A copy runs the
 * kernel of its activity's template only: the kernelspec is notebook
 * metadata, which a pupil's editor can change, so a copy asking for another
 * kernel (or for the server's when the teacher chose the browser) is refused.
 */
export const classroomKernelPolicy = (host: () => FeatureHost | null): KernelPolicy => ({
  group: (room) => parseRoom(room)?.activity ?? null,
  async problem({ room }) {
    const parsed = parseRoom(room.name);
    const rooms = host()?.rooms;
    if (!parsed?.copy || !rooms) return null;
    const template = templateRoom(parsed.activity);
    // A copy whose template is gone runs what it says, as any notebook.
    if (!(await rooms.exists(template))) return null;
    return rooms.use(template, (activity) => {
      const wanted = kernelNameOf(activity.doc);
      const asked = kernelNameOf(room.doc);
      // The teacher chose a browser kernel: the pupils' copies do not use the server's.
      if (kernelLocationOf(activity.doc) === 'browser')
        return `This copy runs the activity's kernel "${wanted}" in the browser, not on the server`;
      return asked === wanted
        ? null
        : `This copy runs the activity's kernel "${wanted}", not "${asked.slice(0, 100)}": set the notebook's kernel back`;
    });
  },
});
