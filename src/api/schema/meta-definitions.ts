// The shared apimachinery definitions (io.k8s.apimachinery.*) every kind refers to, under
// their upstream OpenAPI names, so that served OpenAPI documents look like a 1.32 apiserver's.
// `proto` maps are the field numbers of k8s.io/apimachinery's generated.proto (see ./protobuf.ts).
import { anyObject, bool, define, int32, int64, list, listMeta, mergeList, object, ref, setList, str, stringMap, time } from './build.js';
import { INT_OR_STRING, META_V1, OBJECT_META, QUANTITY } from './resolve.js';
import type { Definitions } from './types.js';

const apiVersionField = str({ description: 'The versioned schema of this representation of an object.' });
const kindField = str({ description: 'The REST resource this object represents, in CamelCase.' });
const atomicStrings = (description: string) => list(str({ default: '' }), { description, 'x-kubernetes-list-type': 'atomic' });

export const metaDefinitions: Definitions = new Map();

define(metaDefinitions, {
  [`${META_V1}.Time`]: str({ format: 'date-time', description: 'A timestamp in RFC 3339 form with second precision.' }),
  [`${META_V1}.MicroTime`]: str({ format: 'date-time', description: 'A timestamp in RFC 3339 form with microsecond precision.' }),
  [`${META_V1}.Duration`]: str({ description: 'A span of time as Go writes it, such as 1h30m0s or 500ms.' }),
  [QUANTITY]: str({ format: 'quantity', description: 'A fixed-point number with an optional SI or binary suffix, such as 500m or 1Gi.' }),
  [INT_OR_STRING]: str({ format: 'int-or-string', description: 'Either a 32-bit integer or a string.' }),
  'io.k8s.apimachinery.pkg.runtime.RawExtension': anyObject({ description: 'An embedded object of any kind.' }),
  [`${META_V1}.FieldsV1`]: anyObject({ description: 'The set of fields a manager owns, as a trie in JSON.' }),
  [`${META_V1}.Patch`]: { type: 'object', description: 'The body of a PATCH request, in the format its content type names.' },

  [OBJECT_META]: object(
    {
      annotations: stringMap({ description: 'Unstructured key-value data that tools may set; not used for selection.', additionalProperties: str({ default: '' }) }),
      creationTimestamp: time({ nullable: true, description: 'When the server created the object; null in templates, as Go serializes an unset time.' }),
      deletionGracePeriodSeconds: int64({ description: 'Seconds the object is allowed to terminate gracefully before it is removed.' }),
      deletionTimestamp: time({ description: 'When the object will be deleted; set by the server when deletion is requested.' }),
      finalizers: setList(str({ default: '' }), { description: 'Conditions that must clear before the object is removed from storage.' }),
      generateName: str({ description: 'A prefix the server uses to generate a unique name when name is empty.' }),
      generation: int64({ description: 'A sequence number for the desired state, set by the server.' }),
      labels: stringMap({ description: 'Key-value pairs used to organize and select objects.', additionalProperties: str({ default: '' }) }),
      managedFields: list(ref(`${META_V1}.ManagedFieldsEntry`, { default: {} }), {
        description: 'Which field manager owns which fields; maintained by server-side apply.',
        'x-kubernetes-list-type': 'atomic',
      }),
      name: str({ description: 'The name, unique within a namespace (or the cluster for cluster-scoped kinds).' }),
      namespace: str({ description: 'The namespace the object lives in; empty for cluster-scoped kinds.' }),
      ownerReferences: mergeList(ref(`${META_V1}.OwnerReference`, { default: {} }), 'uid', {
        description: 'Objects this one depends on; garbage collection follows them.',
      }),
      resourceVersion: str({ description: 'An opaque version the server changes on every write; used for concurrency control and watches.' }),
      selfLink: str({ description: 'Legacy; always empty.' }),
      uid: str({ description: 'A unique identifier the server generates on creation.' }),
    },
    {
      description: 'Metadata every persisted object has.',
      proto: {
        name: 1,
        generateName: 2,
        namespace: 3,
        selfLink: 4,
        uid: 5,
        resourceVersion: 6,
        generation: 7,
        creationTimestamp: 8,
        deletionTimestamp: 9,
        deletionGracePeriodSeconds: 10,
        labels: 11,
        annotations: 12,
        ownerReferences: 13,
        finalizers: 14,
        managedFields: 17,
      },
      protoPointers: ['deletionTimestamp', 'deletionGracePeriodSeconds'],
    },
  ),

  [`${META_V1}.ListMeta`]: object(
    {
      continue: str({ description: 'A token to fetch the next page of a paginated list.' }),
      remainingItemCount: int64({ description: 'How many items remain after this page, when the server can tell.' }),
      resourceVersion: str({ description: 'The version of the collection this list was read at.' }),
      selfLink: str({ description: 'Legacy; always empty.' }),
    },
    { description: 'Metadata of a list response.', proto: { selfLink: 1, resourceVersion: 2, continue: 3, remainingItemCount: 4 }, protoPointers: ['remainingItemCount'] },
  ),

  [`${META_V1}.OwnerReference`]: object(
    {
      apiVersion: str({ default: '', description: 'API version of the owner.' }),
      blockOwnerDeletion: bool({ description: 'Whether foreground deletion of the owner waits for this dependent.' }),
      controller: bool({ description: 'Whether the owner is the managing controller.' }),
      kind: str({ default: '', description: 'Kind of the owner.' }),
      name: str({ default: '', description: 'Name of the owner.' }),
      uid: str({ default: '', description: 'UID of the owner.' }),
    },
    {
      description: 'Identifies an object that owns this one.',
      required: ['apiVersion', 'kind', 'name', 'uid'],
      'x-kubernetes-map-type': 'atomic',
      proto: { kind: 1, name: 3, uid: 4, apiVersion: 5, controller: 6, blockOwnerDeletion: 7 },
      protoPointers: ['controller', 'blockOwnerDeletion'],
    },
  ),

  [`${META_V1}.ManagedFieldsEntry`]: object(
    {
      apiVersion: str({ description: 'The version of the resource the fields are expressed in.' }),
      fieldsType: str({ description: 'The format of fieldsV1; only FieldsV1 exists.' }),
      fieldsV1: ref(`${META_V1}.FieldsV1`, { description: 'The owned fields.' }),
      manager: str({ description: 'The name of the field manager.' }),
      operation: str({ description: 'Apply or Update: the operation that set the fields.' }),
      subresource: str({ description: 'The subresource the fields were written through, if any.' }),
      time: time({ description: 'When the fields were last changed by this manager.' }),
    },
    {
      description: 'The fields one manager owns in one version.',
      proto: { manager: 1, operation: 2, apiVersion: 3, time: 4, fieldsType: 6, fieldsV1: 7, subresource: 8 },
      protoPointers: ['time'],
    },
  ),

  [`${META_V1}.LabelSelector`]: object(
    {
      matchExpressions: list(ref(`${META_V1}.LabelSelectorRequirement`, { default: {} }), {
        description: 'Requirements that must all hold.',
        'x-kubernetes-list-type': 'atomic',
      }),
      matchLabels: stringMap({ description: 'Labels that must all be present with these values.', additionalProperties: str({ default: '' }) }),
    },
    {
      description: 'A label query; an empty selector matches everything.',
      'x-kubernetes-map-type': 'atomic',
      proto: { matchLabels: 1, matchExpressions: 2 },
    },
  ),

  [`${META_V1}.LabelSelectorRequirement`]: object(
    {
      key: str({ default: '', description: 'The label key.' }),
      operator: str({ default: '', description: 'In, NotIn, Exists or DoesNotExist.' }),
      values: atomicStrings('Values for In and NotIn; empty for Exists and DoesNotExist.'),
    },
    { description: 'One requirement of a label selector.', required: ['key', 'operator'], proto: { key: 1, operator: 2, values: 3 } },
  ),

  [`${META_V1}.Condition`]: object(
    {
      lastTransitionTime: time({ description: 'When the status last changed.' }),
      message: str({ default: '', description: 'A human-readable explanation.', maxLength: 32768 }),
      observedGeneration: int64({ description: 'The generation the condition was computed from.', minimum: 0 }),
      reason: str({ default: '', description: 'A CamelCase reason for the last transition.', maxLength: 1024, minLength: 1 }),
      status: str({ default: '', description: 'True, False or Unknown.', enum: ['True', 'False', 'Unknown'] }),
      type: str({ default: '', description: 'The condition type, in CamelCase.', maxLength: 316 }),
    },
    {
      description: 'One aspect of the current state of an object.',
      required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
      proto: { type: 1, status: 2, observedGeneration: 3, lastTransitionTime: 4, reason: 5, message: 6 },
    },
  ),

  [`${META_V1}.Status`]: object(
    {
      apiVersion: apiVersionField,
      code: int32({ description: 'The HTTP status code.' }),
      details: ref(`${META_V1}.StatusDetails`, { description: 'Reason-specific details.' }),
      kind: kindField,
      message: str({ description: 'A human-readable description of the outcome.' }),
      metadata: listMeta({ default: {}, description: 'Standard list metadata.' }),
      reason: str({ description: 'A machine-readable CamelCase reason for a failure.' }),
      status: str({ description: 'Success or Failure.' }),
    },
    { description: 'The result of an operation that does not return an object.', proto: { metadata: 1, status: 2, message: 3, reason: 4, details: 5, code: 6 } },
  ),

  [`${META_V1}.StatusDetails`]: object(
    {
      causes: list(ref(`${META_V1}.StatusCause`, { default: {} }), { description: 'Individual causes of the failure.', 'x-kubernetes-list-type': 'atomic' }),
      group: str({ description: 'The group of the resource concerned.' }),
      kind: str({ description: 'The kind of the resource concerned.' }),
      name: str({ description: 'The name of the resource concerned.' }),
      retryAfterSeconds: int32({ description: 'Seconds a client should wait before retrying.' }),
      uid: str({ description: 'The UID of the resource concerned.' }),
    },
    { description: 'Extra information about a Status.', proto: { name: 1, group: 2, kind: 3, causes: 4, retryAfterSeconds: 5, uid: 6 } },
  ),

  [`${META_V1}.StatusCause`]: object(
    {
      field: str({ description: 'The field path the cause refers to, such as spec.containers[0].name.' }),
      message: str({ description: 'A human-readable description of the cause.' }),
      reason: str({ description: 'A machine-readable description of the cause.' }),
    },
    { description: 'One cause of a failure.', proto: { reason: 1, message: 2, field: 3 } },
  ),

  [`${META_V1}.DeleteOptions`]: object(
    {
      apiVersion: apiVersionField,
      dryRun: atomicStrings('All: run every stage but persist nothing.'),
      gracePeriodSeconds: int64({ description: 'Seconds before the object is deleted; zero means at once.' }),
      ignoreStoreReadErrorWithClusterBreakingPotential: bool({ description: 'Delete an object whose stored form cannot be read; unsafe.' }),
      kind: kindField,
      orphanDependents: bool({ description: 'Deprecated: whether dependents are orphaned; use propagationPolicy.' }),
      preconditions: ref(`${META_V1}.Preconditions`, { description: 'Conditions the object must meet to be deleted.' }),
      propagationPolicy: str({ description: 'Orphan, Background or Foreground garbage collection of dependents.' }),
    },
    {
      description: 'Options for a DELETE request.',
      proto: { gracePeriodSeconds: 1, preconditions: 2, orphanDependents: 3, propagationPolicy: 4, dryRun: 5, ignoreStoreReadErrorWithClusterBreakingPotential: 6 },
      protoPointers: ['gracePeriodSeconds', 'orphanDependents', 'propagationPolicy', 'ignoreStoreReadErrorWithClusterBreakingPotential'],
    },
  ),

  [`${META_V1}.Preconditions`]: object(
    {
      resourceVersion: str({ description: 'The resourceVersion the object must have.' }),
      uid: str({ description: 'The UID the object must have.' }),
    },
    { description: 'Conditions an object must meet before an operation proceeds.', proto: { uid: 1, resourceVersion: 2 }, protoPointers: ['resourceVersion', 'uid'] },
  ),

  [`${META_V1}.WatchEvent`]: object(
    {
      object: ref('io.k8s.apimachinery.pkg.runtime.RawExtension', { default: {}, description: 'The object the event is about, or a Status for ERROR.' }),
      type: str({ default: '', description: 'ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.' }),
    },
    { description: 'One event of a watch stream.', required: ['type', 'object'], proto: { type: 1, object: 2 } },
  ),

  // APIResource(List) have no `proto` map: upstream's `verbs` travels as a metav1.Verbs message
  // wrapping the list, which a field-number map cannot express; discovery is never a request body.
  [`${META_V1}.APIResource`]: object(
    {
      categories: atomicStrings('Groupings the resource belongs to, such as all.'),
      group: str({ description: 'The group of the resource, when it differs from the list it is in.' }),
      kind: str({ default: '', description: 'The kind of the resource.' }),
      name: str({ default: '', description: 'The plural name of the resource.' }),
      namespaced: bool({ default: false, description: 'Whether the resource lives in namespaces.' }),
      shortNames: atomicStrings('Abbreviations clients accept for the resource.'),
      singularName: str({ default: '', description: 'The singular name of the resource.' }),
      storageVersionHash: str({ description: 'An opaque hash of the storage version.' }),
      verbs: list(str({ default: '' }), { description: 'The verbs the resource supports.' }),
      version: str({ description: 'The version of the resource, when it differs from the list it is in.' }),
    },
    { description: 'A resource served in a group-version.', required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'] },
  ),

  [`${META_V1}.APIResourceList`]: object(
    {
      apiVersion: apiVersionField,
      groupVersion: str({ default: '', description: 'The group-version these resources are served in.' }),
      kind: kindField,
      resources: list(ref(`${META_V1}.APIResource`, { default: {} }), { description: 'The resources served.', 'x-kubernetes-list-type': 'atomic' }),
    },
    { description: 'The resources served in one group-version.', required: ['groupVersion', 'resources'] },
  ),

  [`${META_V1}.GroupVersionForDiscovery`]: object(
    {
      groupVersion: str({ default: '', description: 'group/version, or just the version for the core group.' }),
      version: str({ default: '', description: 'The version alone.' }),
    },
    { description: 'One version of a group, as discovery lists it.', required: ['groupVersion', 'version'], proto: { groupVersion: 1, version: 2 } },
  ),

  [`${META_V1}.ServerAddressByClientCIDR`]: object(
    {
      clientCIDR: str({ default: '', description: 'The client network the address applies to.' }),
      serverAddress: str({ default: '', description: 'The address clients in that network should use.' }),
    },
    {
      description: 'Which server address clients in a network should use.',
      required: ['clientCIDR', 'serverAddress'],
      proto: { clientCIDR: 1, serverAddress: 2 },
    },
  ),

  [`${META_V1}.APIGroup`]: object(
    {
      apiVersion: apiVersionField,
      kind: kindField,
      name: str({ default: '', description: 'The group name.' }),
      preferredVersion: ref(`${META_V1}.GroupVersionForDiscovery`, { default: {}, description: 'The version clients should prefer.' }),
      serverAddressByClientCIDRs: list(ref(`${META_V1}.ServerAddressByClientCIDR`, { default: {} }), {
        description: 'Server addresses by client network.',
        'x-kubernetes-list-type': 'atomic',
      }),
      versions: list(ref(`${META_V1}.GroupVersionForDiscovery`, { default: {} }), { description: 'The versions served.', 'x-kubernetes-list-type': 'atomic' }),
    },
    {
      description: 'A group and the versions it is served in.',
      required: ['name', 'versions'],
      proto: { name: 1, versions: 2, preferredVersion: 3, serverAddressByClientCIDRs: 4 },
    },
  ),

  [`${META_V1}.APIGroupList`]: object(
    {
      apiVersion: apiVersionField,
      groups: list(ref(`${META_V1}.APIGroup`, { default: {} }), { description: 'The groups served.', 'x-kubernetes-list-type': 'atomic' }),
      kind: kindField,
    },
    { description: 'The groups served under /apis.', required: ['groups'], proto: { groups: 1 } },
  ),

  [`${META_V1}.APIVersions`]: object(
    {
      apiVersion: apiVersionField,
      kind: kindField,
      serverAddressByClientCIDRs: list(ref(`${META_V1}.ServerAddressByClientCIDR`, { default: {} }), {
        description: 'Server addresses by client network.',
        'x-kubernetes-list-type': 'atomic',
      }),
      versions: atomicStrings('The versions of the core group served under /api.'),
    },
    {
      description: 'The versions served under /api.',
      required: ['versions', 'serverAddressByClientCIDRs'],
      proto: { versions: 1, serverAddressByClientCIDRs: 2 },
    },
  ),

  'io.k8s.apimachinery.pkg.version.Info': object(
    {
      buildDate: str({ default: '', description: 'When the server binary was built.' }),
      compiler: str({ default: '', description: 'The compiler that built it.' }),
      gitCommit: str({ default: '', description: 'The source commit.' }),
      gitTreeState: str({ default: '', description: 'clean or dirty.' }),
      gitVersion: str({ default: '', description: 'The release, such as v1.32.0.' }),
      goVersion: str({ default: '', description: 'The toolchain version.' }),
      major: str({ default: '', description: 'The major version.' }),
      minor: str({ default: '', description: 'The minor version.' }),
      platform: str({ default: '', description: 'The operating system and architecture.' }),
    },
    {
      description: 'The version of the server, as /version reports it.',
      required: ['major', 'minor', 'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform'],
    },
  ),
});
