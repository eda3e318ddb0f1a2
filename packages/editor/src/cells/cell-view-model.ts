import {
  type CellType,
  canDeleteCell,
  canEditCell,
  cellIdOf,
  cellLockOf,
  cellTypeOf,
  type Output,
  outputFromY,
  outputsOf,
  type Role,
  sourceOf,
  type YCell,
} from '@candyce/model';
import * as Y from 'yjs';

const countOf = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.round(value)) : null;

const attachmentsOf = (value: unknown): Record<string, Record<string, unknown>> | undefined => {
  const plain = value instanceof Y.AbstractType ? value.toJSON() : value;
  return plain && typeof plain === 'object' && !Array.isArray(plain)
    ? (plain as Record<string, Record<string, unknown>>)
    : undefined;
};

/** A cell as one render of it needs it: plain values read from the Y.Map. */
export interface CellViewModel {
  id: string;
  type: CellType;
  source: string;
  outputs: Output[];
  executionCount: number | null;
  running: boolean;
  locked: boolean;
  /** True when this user may change the cell (role, lock and readonly mode considered). */
  editable: boolean;
  deletable: boolean;
  attachments: Record<string, Record<string, unknown>> | undefined;
}

/** Reads what rendering `cell` needs, for a user with `role` (`readonly` forbids every change). */
export const readCellView = (cell: YCell, role: Role, readonly: boolean): CellViewModel => {
  const type = cellTypeOf(cell);
  const outputs = outputsOf(cell);
  const lock = cellLockOf(cell);
  return {
    id: cellIdOf(cell),
    type,
    source: sourceOf(cell)?.toString() ?? '',
    outputs: type === 'code' && outputs ? outputs.toArray().map(outputFromY) : [],
    executionCount: countOf(cell.get('execution_count')),
    running: cell.get('execution_state') === 'running',
    locked: !lock.editable || !lock.deletable,
    editable: !readonly && canEditCell(cell, role),
    deletable: !readonly && canDeleteCell(cell, role),
    attachments: type === 'code' ? undefined : attachmentsOf(cell.get('attachments')),
  };
};
