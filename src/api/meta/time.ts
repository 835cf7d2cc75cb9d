// metav1.Time and metav1.MicroTime text, and the durations kubectl prints
// (k8s.io/apimachinery/pkg/util/duration).

/** metav1.Time: RFC 3339 in UTC, whole seconds (`2024-05-01T10:00:00Z`). */
export function formatRFC3339(at: Date | number): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

export function nowRFC3339(): string {
  return formatRFC3339(Date.now());
}

/** metav1.MicroTime: RFC 3339 in UTC with six fraction digits (events, leases). */
export function formatMicroTime(epochMicros: number): string {
  const ms = Math.floor(epochMicros / 1000);
  const micros = String(Math.floor(epochMicros) - ms * 1000).padStart(3, '0');
  return `${new Date(ms).toISOString().slice(0, 23)}${micros}Z`;
}

/** Now as metav1.MicroTime; the sub-millisecond digits come from the high-resolution clock. */
export function microTime(): string {
  const subMillis = Math.floor((performance.now() % 1) * 1000);
  return formatMicroTime(Date.now() * 1000 + subMillis);
}

/** duration.ShortHumanDuration: one unit (`45s`, `5m`, `3h`, `12d`, `2y`). */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(ms / 3_600_000 / 24 / 365)}y`;
}

/** duration.HumanDuration: the AGE column, 2-3 significant figures (`90s`, `5m10s`, `3h5m`, `2d5h`, `45d`, `3y20d`). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

/** The AGE cell of kubectl's tables: `<unknown>` without a timestamp. */
export function translateTimestampSince(timestamp: string | undefined | null, now: number = Date.now()): string {
  const at = timestamp ? Date.parse(timestamp) : NaN;
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
}
