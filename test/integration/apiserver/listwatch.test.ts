// LIST paging and resourceVersion semantics, WATCH resumption, bookmarks, timeouts and
// compaction, over raw HTTP as client-go's reflectors use them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, startWidgetCluster, uniqueName, watch, type StreamedEvent, type TestCluster } from '../../support/cluster.js';

const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

describe('list and watch', () => {
  let cluster: TestCluster;
  const req = (path: string, opts: Parameters<typeof http>[2] = {}) => http(cluster.url, path, opts);
  const cmPath = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
  const createCM = async (ns: string, name: string, labels: Record<string, string> = {}) => {
    const r = await req(cmPath(ns), { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { v: '0' } } });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const setData = async (ns: string, name: string, v: string) => {
    const r = await req(`${cmPath(ns)}/${name}`, { method: 'PATCH', body: JSON.stringify({ data: { v } }), headers: { 'content-type': 'application/merge-patch+json' } });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const del = async (ns: string, name: string) => assert.equal((await req(`${cmPath(ns)}/${name}`, { method: 'DELETE' })).status, 200);
  /** A namespace of its own, so lists and watches see only this test's objects. */
  const namespace = async () => {
    const name = uniqueName('lw');
    assert.equal((await req('/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } })).status, 201);
    return name;
  };
  const names = (list: { items: { metadata: { name: string } }[] }) => list.items.map((i) => i.metadata.name);
  const summary = (events: StreamedEvent[]) => events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`.trim());

  before(async () => {
    cluster = await startWidgetCluster();
  });
  after(() => cluster.stop());

  test('limit and continue page through a consistent snapshot', async () => {
    const ns = await namespace();
    for (let i = 0; i < 7; i++) await createCM(ns, `item-${i}`);
    const first = (await req(`${cmPath(ns)}?limit=3`)).json;
    assert.deepEqual(names(first), ['item-0', 'item-1', 'item-2']);
    assert.equal(first.metadata.remainingItemCount, 4);
    assert.ok(first.metadata.continue);
    // Written after the first page: not part of the snapshot the pages come from.
    await createCM(ns, 'item-9');
    await setData(ns, 'item-5', 'changed');
    const second = (await req(`${cmPath(ns)}?limit=3&continue=${encodeURIComponent(first.metadata.continue)}`)).json;
    assert.deepEqual(names(second), ['item-3', 'item-4', 'item-5']);
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.equal(second.items[2].data.v, '0');
    const third = (await req(`${cmPath(ns)}?limit=3&continue=${encodeURIComponent(second.metadata.continue)}`)).json;
    assert.deepEqual(names(third), ['item-6']);
    assert.equal(third.metadata.continue, undefined);
    assert.equal(third.metadata.remainingItemCount, undefined);

    const filtered = (await req(`${cmPath(ns)}?limit=2&fieldSelector=metadata.name!%3Ditem-1`)).json;
    assert.deepEqual(names(filtered), ['item-0', 'item-2']);
    assert.equal(filtered.metadata.remainingItemCount, undefined, 'no count when a selector filters');

    const garbage = await req(`${cmPath(ns)}?limit=2&continue=not-a-token`);
    assert.equal(garbage.status, 400);
    assert.equal(garbage.json.message, 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    const withRV = await req(`${cmPath(ns)}?limit=2&resourceVersion=5&continue=${encodeURIComponent(first.metadata.continue)}`);
    assert.equal(withRV.status, 400);
    assert.equal(withRV.json.message, 'specifying resource version is not allowed when using continue');
  });

  test('a LIST of many megabytes arrives whole, every item byte for byte as a GET serves it, the same again from the bytes kept', async () => {
    const ns = await namespace();
    // Some text is not ASCII: its bytes are not one per character.
    const payload = (i: number) => (i % 3 ? 'x' : 'ü☃').repeat(10_000);
    const name = (i: number) => `big-${String(i).padStart(3, '0')}`;
    await Promise.all(
      Array.from({ length: 120 }, (_, i) => req(cmPath(ns), { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name(i) }, data: { payload: payload(i) } } })),
    );
    const list = await req(cmPath(ns));
    assert.equal(list.status, 200);
    assert.ok(list.bytes.length > 2_000_000, `${list.bytes.length} bytes`);
    assert.deepEqual(names(list.json), Array.from({ length: 120 }, (_, i) => name(i)));
    for (const i of [0, 7, 119]) {
      assert.equal(list.json.items[i].data.payload, payload(i));
      assert.equal(JSON.stringify(list.json.items[i]), (await req(`${cmPath(ns)}/${name(i)}`)).text);
    }
    const again = await req(cmPath(ns));
    assert.ok(again.bytes.equals(list.bytes));
  });

  test('paging through a list nothing changes in: every item once, counts and tokens as for any list', async () => {
    const ns = await namespace();
    for (let i = 0; i < 8; i++) await createCM(ns, `p-${i}`, { half: String(i % 2) });
    const seen: string[] = [];
    const remaining: (number | undefined)[] = [];
    let cont = '';
    let rv = '';
    do {
      const page = (await req(`${cmPath(ns)}?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).json;
      seen.push(...names(page));
      remaining.push(page.metadata.remainingItemCount);
      rv ||= page.metadata.resourceVersion;
      assert.equal(page.metadata.resourceVersion, rv, 'every page at the first page’s revision');
      cont = page.metadata.continue ?? '';
    } while (cont);
    assert.deepEqual(seen, Array.from({ length: 8 }, (_, i) => `p-${i}`));
    assert.deepEqual(remaining, [5, 2, undefined]);
    const odd = (await req(`${cmPath(ns)}?limit=2&labelSelector=half%3D1`)).json;
    assert.deepEqual(names(odd), ['p-1', 'p-3']);
    assert.equal(odd.metadata.remainingItemCount, undefined);
    const rest = (await req(`${cmPath(ns)}?limit=2&labelSelector=half%3D1&continue=${encodeURIComponent(odd.metadata.continue)}`)).json;
    assert.deepEqual(names(rest), ['p-5', 'p-7']);
    assert.equal(rest.metadata.continue, undefined, 'p-7 is the last key');
  });

  test('a continue token older than the compacted revision is 410 Expired', async () => {
    const ns = await namespace();
    for (let i = 0; i < 3; i++) await createCM(ns, `old-${i}`);
    const first = (await req(`${cmPath(ns)}?limit=1`)).json;
    await setData(ns, 'old-0', 'later');
    await cluster.store.compact(await cluster.store.currentRevision());
    const expired = await req(`${cmPath(ns)}?limit=1&continue=${encodeURIComponent(first.metadata.continue)}`);
    assert.equal(expired.status, 410);
    assert.deepEqual(expired.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: EXPIRED_CONTINUE, reason: 'Expired', code: 410 });
    const exact = await req(`${cmPath(ns)}?resourceVersion=${first.metadata.resourceVersion}&resourceVersionMatch=Exact`);
    assert.equal(exact.status, 410);
    assert.equal(exact.json.reason, 'Expired');
    assert.match(exact.json.message, new RegExp(`^too old resource version: ${first.metadata.resourceVersion} \\(\\d+\\)$`));
    // The server goes on serving fresh lists.
    assert.deepEqual(names((await req(cmPath(ns))).json), ['old-0', 'old-1', 'old-2']);
  });

  test('resourceVersion "0", NotOlderThan and Exact', async () => {
    const ns = await namespace();
    await createCM(ns, 'a');
    const afterA = (await req(cmPath(ns))).json.metadata.resourceVersion;
    await createCM(ns, 'b');
    await del(ns, 'a');

    const any = (await req(`${cmPath(ns)}?resourceVersion=0`)).json;
    assert.deepEqual(names(any), ['b']);
    const notOlder = (await req(`${cmPath(ns)}?resourceVersion=${afterA}&resourceVersionMatch=NotOlderThan`)).json;
    assert.deepEqual(names(notOlder), ['b']);
    assert.ok(Number(notOlder.metadata.resourceVersion) >= Number(afterA));
    const exact = (await req(`${cmPath(ns)}?resourceVersion=${afterA}&resourceVersionMatch=Exact`)).json;
    assert.deepEqual(names(exact), ['a'], 'the list as it was at that revision');
    assert.equal(exact.metadata.resourceVersion, afterA);
    const exactPaged = (await req(`${cmPath(ns)}?resourceVersion=${afterA}&resourceVersionMatch=Exact&limit=5`)).json;
    assert.deepEqual(names(exactPaged), ['a']);

    const invalid = async (query: string, message: string) => {
      const r = await req(`${cmPath(ns)}?${query}`);
      assert.equal(r.status, 422, `${query}: ${r.text}`);
      assert.equal(r.json.reason, 'Invalid');
      assert.equal(r.json.message, `ListOptions.meta.k8s.io "" is invalid: ${message}`);
    };
    await invalid('resourceVersionMatch=NotOlderThan', 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    await invalid('resourceVersion=1&resourceVersionMatch=Newest', 'resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""');
    await invalid('resourceVersion=0&resourceVersionMatch=Exact', 'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    const notNumber = await req(`${cmPath(ns)}?resourceVersion=abc`);
    assert.equal(notNumber.status, 400);
  });

  test('a watch from a resourceVersion replays exactly what came after it, then goes live', async () => {
    const ns = await namespace();
    const a = await createCM(ns, 'a');
    const from = a.metadata.resourceVersion;
    await createCM(ns, 'b');
    await setData(ns, 'a', '1');
    await del(ns, 'b');
    const stream = await watch(cluster.url, `${cmPath(ns)}?watch=true&resourceVersion=${from}`);
    try {
      assert.equal(stream.status, 200);
      const replay = [await stream.next(), await stream.next(), await stream.next()];
      assert.deepEqual(summary(replay), ['ADDED b', 'MODIFIED a', 'DELETED b']);
      const rvs = replay.map((e) => Number(e.object.metadata.resourceVersion));
      assert.deepEqual(rvs, [...rvs].sort((x, y) => x - y));
      assert.ok(rvs[0] > Number(from));
      await createCM(ns, 'c');
      assert.deepEqual(summary([await stream.next()]), ['ADDED c']);
      assert.deepEqual(await stream.rest(), [], 'nothing twice');
    } finally {
      stream.close();
    }
  });

  test('watches opened during a burst of writes see every later write once, in order', async () => {
    const ns = await namespace();
    await createCM(ns, 'burst');
    const written: number[] = [];
    const streams: { from: number; stream: Awaited<ReturnType<typeof watch>> }[] = [];
    for (let i = 1; i <= 30; i++) {
      written.push(Number((await setData(ns, 'burst', String(i))).metadata.resourceVersion));
      if (i % 10 === 5) {
        const from = written[written.length - 1];
        streams.push({ from, stream: await watch(cluster.url, `${cmPath(ns)}?watch=1&resourceVersion=${from}`) });
      }
    }
    try {
      for (const { from, stream } of streams) {
        const expected = written.filter((rv) => rv > from);
        const seen: number[] = [];
        while (seen.length < expected.length) seen.push(Number((await stream.next()).object.metadata.resourceVersion));
        assert.deepEqual(seen, expected, `watch from ${from}`);
        assert.deepEqual(await stream.rest(50), []);
      }
    } finally {
      for (const { stream } of streams) stream.close();
    }
  });

  test('a watch without a resourceVersion starts with the current objects; selectors track objects in and out', async () => {
    const ns = await namespace();
    await createCM(ns, 'in', { role: 'x' });
    await createCM(ns, 'out', { role: 'y' });
    const stream = await watch(cluster.url, `${cmPath(ns)}?watch=true&labelSelector=role%3Dx`);
    try {
      assert.deepEqual(summary([await stream.next()]), ['ADDED in']);
      const patchLabels = (name: string, role: string) =>
        req(`${cmPath(ns)}/${name}`, { method: 'PATCH', body: JSON.stringify({ metadata: { labels: { role } } }), headers: { 'content-type': 'application/merge-patch+json' } });
      await patchLabels('out', 'x');
      await patchLabels('in', 'y');
      const [entered, left] = [await stream.next(), await stream.next()];
      assert.deepEqual(summary([entered, left]), ['ADDED out', 'DELETED in']);
      assert.equal(left.object.metadata.labels.role, 'x', 'a DELETED for leaving the selection carries the last matching state');
    } finally {
      stream.close();
    }
    const one = await watch(cluster.url, `${cmPath(ns)}?watch=true&fieldSelector=metadata.name%3Dout`);
    try {
      assert.deepEqual(summary([await one.next()]), ['ADDED out']);
      await setData(ns, 'in', 'ignored');
      await setData(ns, 'out', 'seen');
      const e = await one.next();
      assert.equal(e.object.data.v, 'seen');
    } finally {
      one.close();
    }
  });

  test('sendInitialEvents ends the initial state with a bookmark; a bookmark comes before the timeout ends the stream', async () => {
    const ns = await namespace();
    await createCM(ns, 'one');
    await createCM(ns, 'two');
    const initial = await watch(cluster.url, `${cmPath(ns)}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    try {
      const events = await initial.until((e) => e.type === 'BOOKMARK');
      assert.deepEqual(summary(events.slice(0, 2)), ['ADDED one', 'ADDED two']);
      assert.deepEqual(events[2].object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
      assert.equal(events[2].object.kind, 'ConfigMap');
    } finally {
      initial.close();
    }
    const refused = await req(`${cmPath(ns)}?watch=1&sendInitialEvents=true`);
    assert.equal(refused.status, 422);
    assert.match(refused.json.message, /sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/);

    const started = Date.now();
    const timed = await watch(cluster.url, `${cmPath(ns)}?watch=1&allowWatchBookmarks=1&timeoutSeconds=3&resourceVersion=0`);
    const head = [await timed.next(), await timed.next()];
    assert.deepEqual(summary(head), ['ADDED one', 'ADDED two']);
    await createCM(ns, 'three');
    assert.deepEqual(summary([await timed.next()]), ['ADDED three']);
    const bookmark = await timed.next(3000);
    assert.equal(bookmark.type, 'BOOKMARK');
    assert.deepEqual(Object.keys(bookmark.object.metadata), ['resourceVersion']);
    assert.ok(Number(bookmark.object.metadata.resourceVersion) >= Number(head[1].object.metadata.resourceVersion));
    await timed.done;
    const took = Date.now() - started;
    assert.ok(took >= 2900 && took < 4500, `the watch ended after ${took} ms`);
  });

  test('a watch from a compacted revision gets a 410 Expired ERROR event and ends', async () => {
    const ns = await namespace();
    const old = await createCM(ns, 'c');
    await setData(ns, 'c', '1');
    await setData(ns, 'c', '2');
    await cluster.store.compact(await cluster.store.currentRevision());
    const stream = await watch(cluster.url, `${cmPath(ns)}?watch=true&resourceVersion=${old.metadata.resourceVersion}`);
    assert.equal(stream.status, 200);
    const error = await stream.next();
    assert.equal(error.type, 'ERROR');
    assert.equal(error.object.kind, 'Status');
    assert.equal(error.object.code, 410);
    assert.equal(error.object.reason, 'Expired');
    assert.match(error.object.message, new RegExp(`^too old resource version: ${old.metadata.resourceVersion} \\(\\d+\\)$`));
    await stream.done;
    // Watching again from a fresh list works.
    const list = (await req(cmPath(ns))).json;
    const fresh = await watch(cluster.url, `${cmPath(ns)}?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    try {
      await setData(ns, 'c', '3');
      assert.equal((await fresh.next()).object.data.v, '3');
    } finally {
      fresh.close();
    }
  });

  test('events, served from the store without a watch cache (as kube-apiserver serves them): list, get and watch as any resource', async () => {
    const ns = await namespace();
    const evPath = `/api/v1/namespaces/${ns}/events`;
    const createEvent = async (name: string, pod: string) => {
      const r = await req(evPath, {
        body: { apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind: 'Pod', name: pod, namespace: ns }, reason: 'Started', message: `${pod} started`, type: 'Normal', source: { component: 'test' } },
      });
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    const bump = async (name: string, count: number) => {
      const r = await req(`${evPath}/${name}`, { method: 'PATCH', body: JSON.stringify({ count }), headers: { 'content-type': 'application/merge-patch+json' } });
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    const first = await createEvent('e1', 'p1');
    await createEvent('e2', 'p2');
    const selector = `fieldSelector=${encodeURIComponent('involvedObject.name=p1')}`;
    assert.deepEqual(names((await req(`${evPath}?${selector}`)).json), ['e1']);
    const page = (await req(`${evPath}?limit=1`)).json;
    assert.deepEqual(names(page), ['e1']);
    assert.deepEqual(names((await req(`${evPath}?limit=1&continue=${encodeURIComponent(page.metadata.continue)}`)).json), ['e2']);
    assert.equal((await req(`${evPath}/e1`)).json.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.equal((await req(`${evPath}/nope`)).status, 404);
    assert.equal((await req(`/apis/events.k8s.io/v1/namespaces/${ns}/events/e1`)).json.note, 'p1 started');

    const live = await watch(cluster.url, `${evPath}?watch=true&${selector}`);
    const resumed = await watch(cluster.url, `${evPath}?watch=true&resourceVersion=${first.metadata.resourceVersion}`);
    try {
      assert.deepEqual(summary([await live.next()]), ['ADDED e1']);
      await bump('e2', 2);
      const bumped = await bump('e1', 2);
      await createEvent('e3', 'p1');
      assert.equal((await req(`${evPath}/e1`, { method: 'DELETE' })).status, 200);
      const seen = [await live.next(), await live.next(), await live.next()];
      assert.deepEqual(summary(seen), ['MODIFIED e1', 'ADDED e3', 'DELETED e1']);
      assert.equal(seen[0].object.count, 2);
      assert.equal(seen[0].object.metadata.resourceVersion, bumped.metadata.resourceVersion);
      assert.deepEqual(await live.rest(50), [], 'e2 is not selected');
      const replay = [];
      for (let i = 0; i < 5; i++) replay.push(await resumed.next());
      assert.deepEqual(summary(replay), ['ADDED e2', 'MODIFIED e2', 'MODIFIED e1', 'ADDED e3', 'DELETED e1']);
    } finally {
      live.close();
      resumed.close();
    }
    await cluster.store.compact(await cluster.store.currentRevision());
    const gone = await watch(cluster.url, `${evPath}?watch=true&resourceVersion=${first.metadata.resourceVersion}`);
    const error = await gone.next();
    assert.equal(error.type, 'ERROR');
    assert.equal(error.object.code, 410);
    await gone.done;
  });

  test('query values: booleans as upstream reads them, integers checked', async () => {
    const ns = await namespace();
    await createCM(ns, 'q');
    // Any value but "false" and "0" turns watch on, as upstream's parameter codec decides.
    const yes = await watch(cluster.url, `${cmPath(ns)}?watch=yes&timeoutSeconds=1`);
    assert.equal((await yes.next()).type, 'ADDED');
    await yes.done;
    const no = await req(`${cmPath(ns)}?watch=false`);
    assert.equal(no.json.kind, 'ConfigMapList');
    const badLimit = await req(`${cmPath(ns)}?limit=ten`);
    assert.equal(badLimit.status, 400);
    assert.equal(badLimit.json.message, 'strconv.ParseInt: parsing "ten": invalid syntax');
    const badTimeout = await req(`${cmPath(ns)}?watch=1&timeoutSeconds=soon`);
    assert.equal(badTimeout.status, 400);
    const badSelector = await req(`${cmPath(ns)}?labelSelector=${encodeURIComponent('a in (b')}`);
    assert.equal(badSelector.status, 400);
    assert.equal(badSelector.json.reason, 'BadRequest');
    assert.match(badSelector.json.message, /^unable to parse requirement: /);
    const badField = await req(`${cmPath(ns)}?fieldSelector=data.v%3D0`);
    assert.equal(badField.status, 400);
    assert.equal(badField.json.message, 'field label not supported: data.v');
    const widgetField = await req(`/apis/test.k8ts.io/v1/widgets?fieldSelector=spec.color%3Dred`);
    assert.equal(widgetField.status, 200, 'a kind’s own field selectors work across namespaces');
  });
});
