// Status causes controllers act on (apierrors.HasStatusCause).
import { StatusError } from '../../api/meta/status.js';

export function hasStatusCause(err: unknown, reason: string): boolean {
  return err instanceof StatusError && !!err.status.details?.causes?.some((c) => c.reason === reason);
}

/** A create refused because the namespace is being deleted: nothing to retry. */
export function isNamespaceTerminating(err: unknown): boolean {
  return hasStatusCause(err, 'NamespaceTerminating');
}
