/** The roles a token can carry: a teacher changes everything, a student their cells, a viewer nothing. */
export type Role = 'teacher' | 'student' | 'viewer';

/** Every role, from the most to the least allowed. */
export const roles: readonly Role[] = ['teacher', 'student', 'viewer'];

/** True when `value` is one of the {@link roles}. */
export const isRole = (value: unknown): value is Role => roles.includes(value as Role);
