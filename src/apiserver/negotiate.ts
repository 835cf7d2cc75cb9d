// Content negotiation: which representation the client asked for in Accept.
import { notAcceptable } from '../api/meta/status.js';

export type Representation =
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'table'; version: string }
  | { kind: 'partial'; version: string; list: boolean }
  | { kind: 'discovery'; version: string };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  return accept.split(',').map((part) => {
    const [type, ...rest] = part.trim().split(';');
    const params: Record<string, string> = {};
    for (const p of rest) {
      const i = p.indexOf('=');
      if (i > 0) params[p.slice(0, i).trim()] = p.slice(i + 1).trim();
    }
    return { type: type.trim().toLowerCase(), params };
  });
}

/** The first representation in Accept that the server can produce for this kind of response. */
export function negotiate(accept: string | undefined, opts: { allowTable: boolean; allowDiscovery?: boolean }): Representation {
  if (!accept) return { kind: 'json' };
  let sawUnsupported = false;
  for (const m of parseAccept(accept)) {
    const isJson = m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*';
    const as = m.params.as;
    if (as) {
      const v = m.params.v ?? '';
      const g = m.params.g ?? '';
      if (opts.allowTable && as === 'Table' && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1') && isJson) return { kind: 'table', version: v };
      if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1') && isJson) {
        return { kind: 'partial', version: v, list: as === 'PartialObjectMetadataList' };
      }
      if (opts.allowDiscovery && as === 'APIGroupDiscoveryList' && g === 'apidiscovery.k8s.io' && (v === 'v2' || v === 'v2beta1') && isJson) {
        return { kind: 'discovery', version: v };
      }
      sawUnsupported = true;
      continue;
    }
    if (isJson) return { kind: 'json' };
    if (m.type === 'application/yaml') return { kind: 'yaml' };
    sawUnsupported = true;
  }
  if (sawUnsupported) throw notAcceptable(`only the following media types are accepted: application/json, application/yaml`);
  return { kind: 'json' };
}

/**
 * For documents served in a fixed set of media types (the OpenAPI v2 document): the first offer a
 * clause of Accept matches, `*` matching any type or subtype; none → 406 Not Acceptable.
 */
export function negotiateOffer(accept: string | undefined, offers: readonly string[]): string {
  // goautoneg's order: higher q first, then the more specific range; q=0 refuses a range.
  const q = (m: MediaRange) => (m.params.q === undefined ? 1 : Number(m.params.q) || 0);
  const specificity = (m: MediaRange) => (m.type === '*/*' ? 0 : m.type.endsWith('/*') ? 1 : 2);
  const ranges = parseAccept(accept || '*/*')
    .filter((m) => q(m) > 0)
    .sort((a, b) => q(b) - q(a) || specificity(b) - specificity(a));
  for (const m of ranges) {
    const [type, subtype] = m.type.split('/');
    const offer = offers.find((o) => {
      const [t, s] = o.split('/');
      return (type === '*' || type === t) && (subtype === '*' || subtype === s);
    });
    if (offer) return offer;
  }
  throw notAcceptable(`only the following media types are accepted: ${offers.join(', ')}`);
}
