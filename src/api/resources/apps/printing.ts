// Table columns and cells shared by the workload kinds, as kubectl prints them (pkg/printers/internalversion).
import type { TableColumn } from '../../registry.js';

export const containersColumn: TableColumn = { name: 'Containers', type: 'string', description: 'The container names of the pod template.' };
export const imagesColumn: TableColumn = { name: 'Images', type: 'string', description: 'The container images of the pod template.' };
export const selectorColumn: TableColumn = { name: 'Selector', type: 'string', description: 'The label selector of the pods.' };

/** printBoolPtr: `True`, `False` or `<unset>`. */
export function formatBoolPointer(v: boolean | undefined): string {
  if (v === undefined) return '<unset>';
  return v ? 'True' : 'False';
}
