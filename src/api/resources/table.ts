// Table columns shared by every kind: NAME first, AGE last, as kubectl prints them.
import type { KubeObject, TableColumn, TableDefinition } from '../registry.js';
import { translateTimestampSince } from '../meta/time.js';

export const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
};

export const ageColumn: TableColumn = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

/** `5m`, `3d2h`: the time since a timestamp, as kubectl's AGE column. */
export const age = translateTimestampSince;

/** NAME, the kind's own columns, AGE, then the `-o wide` (priority 1) columns. */
export function table<T extends KubeObject>(
  columns: TableColumn[],
  cells: (obj: T, now: number) => unknown[],
  wide: { columns: TableColumn[]; cells: (obj: T, now: number) => unknown[] } = { columns: [], cells: () => [] },
): TableDefinition<T> {
  return {
    columns: [nameColumn, ...columns, ageColumn, ...wide.columns.map((c) => ({ ...c, priority: 1 as const }))],
    cells: (obj, now) => [obj.metadata?.name, ...cells(obj, now), age(obj.metadata?.creationTimestamp, now), ...wide.cells(obj, now)],
  };
}

/** The table of a kind with no columns of its own: what upstream's default table convertor serves. */
export const defaultTable: TableDefinition = {
  columns: [
    nameColumn,
    { name: 'Created At', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' },
  ],
  cells: (obj) => [obj.metadata?.name, obj.metadata?.creationTimestamp],
};
