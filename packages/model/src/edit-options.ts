import { ReadOnlyError } from './errors.js';
import type { Role } from './locks.js';
import { localOrigin, type NotebookOrigin } from './origin.js';

/**
 * Who performs an operation: the transaction origin (default: an anonymous
 * local user) and the role that cell locks are checked against (default:
 * student, so locks apply unless the caller says it acts as a teacher).
 */
export interface EditOptions {
  origin?: NotebookOrigin;
  role?: Role;
}

const anonymous = localOrigin('anonymous');

/** Resolves the defaults of {@link EditOptions}; viewers are refused here. */
export const resolveEdit = (options: EditOptions | undefined): { origin: NotebookOrigin; role: Role } => {
  const role = options?.role ?? 'student';
  if (role === 'viewer') throw new ReadOnlyError();
  return { origin: options?.origin ?? anonymous, role };
};
