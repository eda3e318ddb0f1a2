// The public API of @candyce/classroom: the classroom as a feature of the
// Candyce server (activities, joins by code, copies, hand-ins, comments,
// grades, the live dashboard), and the wire types of its endpoints.

export type { Classroom, ClassroomOptions, JoinResult } from './classroom.js';
export type { ClassroomFeature, ClassroomFeatureOptions } from './feature.js';
export { classroomFeature } from './feature.js';
export type { ErrorCode, Lang } from './i18n.js';
export { copyRoom, parseRoom, templateRoom } from './ids.js';
export { classroomKernelPolicy } from './kernel-policy.js';
export type {
  ActivityRecord,
  Comment,
  CopyRecord,
  CopyState,
  CopyStats,
  HandinRecord,
  Member,
  Mode,
  ReadOnlyReason,
} from './records.js';
export type { CopyRow, CopyStatus } from './views.js';
