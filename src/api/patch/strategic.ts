// Strategic merge patch as kube-apiserver applies it (k8s.io/apimachinery strategicpatch,
// StrategicMergeMapPatch), driven by the patch metadata of our schemas: lists carry
// `x-kubernetes-patch-strategy` (merge | replace | retainKeys | "merge,retainKeys") and
// `x-kubernetes-patch-merge-key`.
//
// - Maps merge recursively; null deletes a key.
// - Lists with the merge strategy merge by merge key (lists of maps) or as sets (scalars);
//   other lists are replaced.
// - Directives: `$patch: replace | delete` on a map or a list item, `$retainKeys`,
//   `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`. Upstream has no
//   `$patch: merge`: it answers an error, and so do we.
// - Merged list order follows upstream exactly: without `$setElementOrder`, items named in
//   the patch keep their relative order and are placed among the server's items by the
//   server's order, so new items come before the server-only items that follow them.
// - Fields our schema does not know (or that preserve unknown fields) have no patch
//   metadata: maps merge, lists are replaced, directives still apply.
//
// Errors carry upstream's answers: 400 for malformed directives, 422 for lists of lists,
// and 500 with no reason (upstream's unclassified errors) for the rest, with its messages.
import type { Definitions, Schema } from '../schema/types.js';
import { badRequest, patchFailed, patchNotApplicable } from './errors.js';
import { deepCopy, goFormat, goString, goTypeName, hasOwn, isObject, jsonKind, setKey, type JSONObject } from './json.js';

/** The schema a strategic merge patch is applied with: `root` names the kind's definition. */
export interface StrategicSchema {
  definitions: Definitions;
  root: string;
}

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

// mergepatch's sentinel errors, answered as 400 by the apiserver.
const BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';

const MAP_TYPE = 'map[string]interface {}';
const LIST_TYPE = '[]interface {}';

/** Patch metadata of one field: its value's schema (a list's: its items'), strategy and merge key. */
interface FieldMeta {
  schema: Schema | undefined;
  strategy: string;
  mergeKey: string;
}

type ElementKind = 'map' | 'scalar';

/** Marks a patch value that carries `$patch` where it would be copied into the object: it is left out. */
const DROPPED = Symbol('dropped');

/** Applies a decoded strategic merge patch to a copy of `original`; neither input is changed. */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema?: StrategicSchema): unknown {
  // A null patch decodes to an empty map upstream: nothing to do.
  if (patch === null) return deepCopy(original);
  if (!isObject(patch)) throw badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  const merger = new StrategicMerge(schema?.definitions);
  const root = schema ? merger.resolve({ ref: schema.root }) : undefined;
  // Without its schema every list would be replaced, silently dropping items: refuse instead.
  if (schema && !root) throw new Error(`strategic merge patch: no schema definition named ${schema.root}`);
  return merger.mergeMap(isObject(original) ? deepCopy(original) : {}, patch, root);
}

function argTypeError(expected: string, actual: unknown): never {
  const got = actual === null || actual === undefined ? '%!s(<nil>)' : goTypeName(actual);
  throw patchFailed(`expected a ${expected}, but received a ${got}`);
}

function noMergeKey(m: JSONObject, mergeKey: string): never {
  throw patchFailed(`map: ${goFormat(m)} does not contain declared merge key: ${mergeKey}`);
}

function unknownDirective(directive: unknown, m: JSONObject): never {
  throw patchFailed(`unknown patch type: ${goString(directive)} in map: ${goFormat(m)}`);
}

/** The list field a `$setElementOrder/<field>` or `$deleteFromPrimitiveList/<field>` key names. */
function directiveTarget(key: string, prefix: string, malformed: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw badRequest(malformed);
  return key.slice(slash + 1);
}

/** The patch strategy other than retainKeys (which only tells clients to send `$retainKeys`). */
function patchStrategy(declared: string | undefined): string {
  if (declared === undefined) return '';
  const strategies = declared.split(',');
  if (strategies.length === 1) return strategies[0] === 'retainKeys' ? '' : strategies[0];
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return strategies[1];
    if (strategies[1] === 'retainKeys') return strategies[0];
  }
  throw patchFailed(`unexpected patch strategy: [${strategies.join(' ')}]`);
}

/**
 * A copy of a patch value to store as it is: maps carrying `$patch` are left out (DROPPED
 * when the value itself carries one) and, when `discardNulls`, so are null map members.
 */
function cleanPatchValue(v: unknown, discardNulls: boolean): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const c = cleanPatchValue(item, discardNulls);
      if (c !== DROPPED) out.push(c);
    }
    return out;
  }
  if (!isObject(v)) return v;
  if (hasOwn(v, DIRECTIVE) && !(discardNulls && v[DIRECTIVE] === null)) return DROPPED;
  const out: JSONObject = {};
  for (const k of Object.keys(v)) {
    if (discardNulls && v[k] === null) continue;
    const c = cleanPatchValue(v[k], discardNulls);
    if (c !== DROPPED) setKey(out, k, c);
  }
  return out;
}

function setOrDrop(o: JSONObject, key: string, value: unknown): void {
  if (value === DROPPED) delete o[key];
  else setKey(o, key, value);
}

/** The single element type of the lists (upstream refuses mixed types and lists of lists). */
function elementKind(...lists: unknown[][]): ElementKind {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = goTypeName(v);
      if (kind === undefined) {
        if (t === LIST_TYPE) throw patchNotApplicable('lists of lists are not supported');
        kind = t;
      } else if (t !== kind) {
        throw patchFailed(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (kind === undefined) throw patchFailed('no elements in any of the given slices');
  return kind === MAP_TYPE ? 'map' : 'scalar';
}

/** What an item is identified by in a list: its merge key's value for maps, itself otherwise. */
function identity(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind !== 'map') return item;
  return isObject(item) && hasOwn(item, mergeKey) ? item[mergeKey] : null;
}

/** First position of each identity in `list`. */
function positions(list: unknown[], mergeKey: string, kind: ElementKind): Map<unknown, number> {
  const at = new Map<unknown, number>();
  for (let i = 0; i < list.length; i++) {
    const id = identity(list[i], mergeKey, kind);
    if (!at.has(id)) at.set(id, i);
  }
  return at;
}

/**
 * Finds the maps of a list by merge key value. Upstream searches linearly and fails on a
 * non-map met before the match; the index gives the same answers without the rescans.
 */
class MergeKeyIndex {
  private readonly at = new Map<unknown, number>();
  private firstNonMap = -1;

  constructor(
    readonly list: unknown[],
    private readonly mergeKey: string,
  ) {
    for (let i = 0; i < list.length; i++) this.note(list[i], i);
  }

  private note(item: unknown, i: number): void {
    if (!isObject(item)) {
      if (this.firstNonMap < 0) this.firstNonMap = i;
    } else if (hasOwn(item, this.mergeKey) && !this.at.has(item[this.mergeKey])) {
      this.at.set(item[this.mergeKey], i);
    }
  }

  find(value: unknown): number {
    const i = this.at.get(value) ?? -1;
    if (this.firstNonMap >= 0 && (i < 0 || i > this.firstNonMap)) throw patchFailed(`value for key ${this.firstNonMap} is not a map`);
    return i;
  }

  push(item: unknown): void {
    this.list.push(item);
    this.note(item, this.list.length - 1);
  }
}

function asList(v: unknown): unknown[] {
  if (!Array.isArray(v)) argTypeError(LIST_TYPE, v);
  return v;
}

function hasDeleteDirective(item: unknown): boolean {
  if (!isObject(item)) argTypeError(MAP_TYPE, item);
  return item[DIRECTIVE] === 'delete';
}

/** Sorts `items` stably by their position in `order`, with `$patch: delete` items last. */
function sortByOrder(items: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let rest = items;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const list of [items, order]) {
      for (const item of list) {
        if (!isObject(item)) argTypeError(MAP_TYPE, item);
        if (!hasOwn(item, mergeKey)) noMergeKey(item, mergeKey);
      }
    }
    rest = items.filter((item) => !hasDeleteDirective(item));
    toDelete = items.filter(hasDeleteDirective);
  }
  const at = positions(order, mergeKey, kind);
  const keyed = rest.map((item) => ({ item, pos: at.get(identity(item, mergeKey, kind)) ?? -1 }));
  keyed.sort((a, b) => (a.pos >= 0 && b.pos >= 0 ? a.pos - b.pos : 0));
  return [...keyed.map((k) => k.item), ...toDelete];
}

/**
 * Orders a merged list as upstream does: patch items by `patchOrder`, server-only items by
 * `serverOrder`, then the two interleaved, a server item going first only when the server
 * order puts it before the next patch item.
 */
function normalizeOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  const at = positions(serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = at.get(identity(left[i], mergeKey, kind));
      const ri = at.get(identity(right[j], mergeKey, kind));
      if (li !== undefined && ri !== undefined && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Splits `merged` into the items `by` names and the others. */
function partition(merged: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const named: unknown[] = [];
  const others: unknown[] = [];
  if (!mergeKey) {
    const set = new Set(by);
    for (const v of merged) (set.has(v) ? named : others).push(v);
    return [named, others];
  }
  const index = new MergeKeyIndex(by, mergeKey);
  for (const v of merged) {
    if (!isObject(v)) argTypeError(MAP_TYPE, v);
    if (!hasOwn(v, mergeKey)) noMergeKey(v, mergeKey);
    (index.find(v[mergeKey]) >= 0 ? named : others).push(v);
  }
  return [named, others];
}

/** Checks a `$setElementOrder` list names the patch list's items in the same relative order. */
function validateElementOrder(patchList: unknown[] | undefined, order: unknown[], mergeKey: string): void {
  if (order.length === 0 || !patchList || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((item) => !hasDeleteDirective(item)) : patchList;
  let p = 0;
  let s = 0;
  while (p < items.length && s < order.length) {
    const item = items[p];
    if (isObject(item) && hasOwn(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (sameItem(item, order[s], mergeKey)) p++;
    s++;
  }
  if (p < items.length) {
    throw patchFailed(`The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`);
  }
}

function sameItem(a: unknown, b: unknown, mergeKey: string): boolean {
  if (!mergeKey) return a === b;
  if (!isObject(a)) argTypeError(MAP_TYPE, a);
  if (!isObject(b)) argTypeError(MAP_TYPE, b);
  if (!hasOwn(a, mergeKey)) noMergeKey(a, mergeKey);
  if (!hasOwn(b, mergeKey)) noMergeKey(b, mergeKey);
  return a[mergeKey] === b[mergeKey];
}

/** How upstream names a list's element type in "cannot merge lists without merge key for …". */
function typeName(schema: Schema | undefined): string {
  if (!schema) return 'interface';
  if (schema.properties) return 'struct';
  if (schema.type === 'object') return 'map';
  return schema.type ?? 'interface';
}

class StrategicMerge {
  constructor(private readonly definitions: Definitions | undefined) {}

  /** Follows `ref`s to the named definition; undefined when unknown. */
  resolve(schema: Schema | undefined): Schema | undefined {
    let s = schema;
    for (let hops = 0; s?.ref !== undefined; hops++) {
      if (hops > 32) return undefined;
      s = this.definitions?.get(s.ref);
    }
    return s;
  }

  private field(at: Schema | undefined, key: string, list: boolean): FieldMeta {
    let field: Schema | undefined;
    if (at) {
      if (at.properties && hasOwn(at.properties as JSONObject, key)) field = at.properties[key];
      else field = at.additionalProperties;
    }
    let schema = this.resolve(field);
    if (list && schema?.items) schema = this.resolve(schema.items);
    return {
      schema,
      strategy: patchStrategy(field?.['x-kubernetes-patch-strategy']),
      mergeKey: field?.['x-kubernetes-patch-merge-key'] ?? '',
    };
  }

  /** Merges `patch` into `original`, which it changes and returns (or replaces, for `$patch`). */
  mergeMap(original: JSONObject, patch: JSONObject, at: Schema | undefined): JSONObject {
    if (hasOwn(patch, DIRECTIVE)) return this.mapDirective(patch);
    this.retainKeys(original, patch);
    const ordered = this.mergeOrderedLists(original, patch, at);
    for (const patchKey of Object.keys(patch)) {
      if (patchKey === RETAIN_KEYS || ordered?.has(patchKey)) continue;
      const patchV = patch[patchKey];
      const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
      const key = isDeleteList ? directiveTarget(patchKey, DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST) : patchKey;
      if (patchV === null) {
        delete original[key];
        continue;
      }
      if (!hasOwn(original, key) || goTypeName(original[key]) !== goTypeName(patchV)) {
        if (!isDeleteList) setOrDrop(original, key, cleanPatchValue(patchV, true));
        continue;
      }
      const originalV = original[key];
      if (isObject(originalV)) {
        const meta = this.field(at, key, false);
        original[key] = meta.strategy === 'replace' ? deepCopy(patchV) : this.mergeMap(originalV, patchV as JSONObject, meta.schema);
      } else if (Array.isArray(originalV)) {
        const meta = this.field(at, key, true);
        original[key] =
          meta.strategy === 'merge' || isDeleteList ? this.mergeList(originalV, patchV as unknown[], meta, isDeleteList) : deepCopy(patchV);
      } else {
        original[key] = patchV;
      }
    }
    return original;
  }

  /** `$patch` on a map: replace takes the patch as it is, delete leaves an empty map. */
  private mapDirective(patch: JSONObject): JSONObject {
    const directive = patch[DIRECTIVE];
    if (directive === 'delete') return {};
    if (directive !== 'replace') unknownDirective(directive, patch);
    const out: JSONObject = {};
    for (const k of Object.keys(patch)) if (k !== DIRECTIVE) setKey(out, k, deepCopy(patch[k]));
    return out;
  }

  /** `$retainKeys`: keys of `original` not listed are cleared; the patch may only set listed keys. */
  private retainKeys(original: JSONObject, patch: JSONObject): void {
    if (!hasOwn(patch, RETAIN_KEYS)) return;
    const list = patch[RETAIN_KEYS];
    if (!Array.isArray(list)) throw badRequest(BAD_RETAIN_KEYS);
    const retained = new Set(list);
    for (const k of Object.keys(patch)) {
      if (k === RETAIN_KEYS || patch[k] === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
      if (!retained.has(k)) throw badRequest(BAD_RETAIN_KEYS);
    }
    for (const k of Object.keys(original)) if (!retained.has(k)) delete original[k];
  }

  /**
   * Merges the lists that come with a `$setElementOrder/<field>` list and puts them in
   * that order. Returns the patch keys it consumed.
   */
  private mergeOrderedLists(original: JSONObject, patch: JSONObject, at: Schema | undefined): Set<string> | undefined {
    let consumed: Set<string> | undefined;
    for (const orderKey of Object.keys(patch)) {
      if (!orderKey.startsWith(SET_ELEMENT_ORDER)) continue;
      (consumed ??= new Set()).add(orderKey);
      const order = asList(patch[orderKey]);
      const key = directiveTarget(orderKey, SET_ELEMENT_ORDER, BAD_SET_ELEMENT_ORDER);
      const originalList = hasOwn(original, key) ? asList(original[key]) : undefined;
      const patchList = hasOwn(patch, key) ? asList(patch[key]) : undefined;
      const meta = this.field(at, key, true);
      validateElementOrder(patchList, order, meta.mergeKey);

      let merged: unknown[];
      if (originalList && patchList) {
        merged = meta.strategy === 'merge' ? this.mergeList(originalList, patchList, meta, false) : deepCopy(patchList);
      } else if (originalList) {
        merged = originalList;
      } else if (patchList) {
        merged = cleanPatchValue(patchList, false) as unknown[];
      } else {
        continue;
      }
      const [named, serverOnly] = partition(merged, order, meta.mergeKey);
      const kind = elementKind(originalList ?? [], patchList ?? []);
      original[key] = normalizeOrder(named, serverOnly, order, originalList ?? [], meta.mergeKey, kind);
      consumed.add(key);
    }
    return consumed;
  }

  /** Merges a list with the merge strategy (or applies a `$deleteFromPrimitiveList`). */
  private mergeList(original: unknown[], patch: unknown[], meta: FieldMeta, isDeleteList: boolean): unknown[] {
    if (original.length === 0 && patch.length === 0) return original;
    const kind = elementKind(original, patch);
    const { mergeKey } = meta;
    let merged: unknown[];
    let items = patch;
    let server = original;
    if (kind === 'scalar') {
      if (isDeleteList) {
        const toDelete = new Set(patch);
        return original.filter((v) => !toDelete.has(v));
      }
      merged = [...new Set([...original, ...patch])];
    } else {
      if (!mergeKey) throw patchFailed(`cannot merge lists without merge key for ${typeName(meta.schema)}`);
      [server, items] = this.applyListDirectives(original, patch, mergeKey);
      const index = new MergeKeyIndex(server.slice(), mergeKey);
      merged = index.list;
      for (const item of items as JSONObject[]) {
        if (!hasOwn(item, mergeKey)) noMergeKey(item, mergeKey);
        const i = index.find(item[mergeKey]);
        if (i >= 0) merged[i] = this.mergeMap(merged[i] as JSONObject, item, meta.schema);
        else index.push(deepCopy(item));
      }
    }
    const [named, serverOnly] = partition(merged, items, mergeKey);
    return normalizeOrder(named, serverOnly, items, server, mergeKey, kind);
  }

  /**
   * `$patch` items of a merging list: delete removes the items with that merge key, replace
   * makes the other patch items the whole list. Returns the server's items and the patch's.
   */
  private applyListDirectives(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
    const plain: unknown[] = [];
    let server = original;
    let replace = false;
    for (const item of patch as JSONObject[]) {
      if (!hasOwn(item, DIRECTIVE)) {
        plain.push(item);
        continue;
      }
      switch (item[DIRECTIVE]) {
        case 'delete': {
          if (!hasOwn(item, mergeKey)) noMergeKey(item, mergeKey);
          const value = item[mergeKey];
          server = server.filter((v) => !(isObject(v) && hasOwn(v, mergeKey) && v[mergeKey] === value));
          break;
        }
        case 'replace':
          replace = true;
          break;
        case 'merge':
          throw patchFailed('merging lists cannot yet be specified in the patch');
        default:
          unknownDirective(item[DIRECTIVE], item);
      }
    }
    return replace ? [deepCopy(plain), []] : [server, plain];
  }
}
