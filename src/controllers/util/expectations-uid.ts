// UIDTrackingControllerExpectations: deletions are expected by pod UID, so that a pod seen
// twice on its way out (first with a deletionTimestamp, then deleted) counts once.
import { Expectations } from '../expectations.js';

export class UIDTrackingExpectations extends Expectations {
  private readonly deleting = new Map<string, Set<string>>();

  /** Expects the deletion of exactly these pods. */
  expectDeletionsOf(key: string, uids: readonly string[]): void {
    this.deleting.set(key, new Set(uids));
    this.expectDeletions(key, uids.length);
  }

  /** A pod of `key` with this UID was seen going away; only the first sighting counts. */
  deletionObservedOf(key: string, uid: string | undefined): void {
    const uids = this.deleting.get(key);
    if (!uid || !uids?.delete(uid)) return;
    this.deletionObserved(key);
  }

  /** A deletion that was asked for but failed: it will not be observed. */
  deletionFailed(key: string, uid: string): void {
    if (this.deleting.get(key)?.delete(uid)) this.lowerExpectations(key, 0, 1);
  }

  override delete(key: string): void {
    super.delete(key);
    this.deleting.delete(key);
  }
}
