// The schema language: a subset of OpenAPI v3 structural schemas with Kubernetes'
// extensions. Built-in kinds are written with the builders in ./build.ts; CRDs bring
// the same shape in their openAPIV3Schema. One schema drives validation, defaulting,
// pruning and unknown-field detection, patch metadata, OpenAPI v2/v3 and explain.

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

export interface Schema {
  /** A named definition (e.g. `io.k8s.api.core.v1.PodSpec`); the other keys then only annotate the use. */
  ref?: string;
  type?: SchemaType;
  /** int32, int64, double, byte, date-time, int-or-string, quantity … */
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  /** A map with values of this schema. */
  additionalProperties?: Schema;
  items?: Schema;
  enum?: readonly string[];
  default?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  /**
   * Null is a value here. In a Go struct: a field Go always writes, null when unset (a slice
   * without `omitempty`, as Role.rules; a metav1.Time that is no pointer is one without saying).
   */
  nullable?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** Strategic merge patch: `merge`, `replace`, `retainKeys`, `merge,retainKeys`. */
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  /**
   * Protobuf field numbers of an object's properties (upstream's generated.proto), so that
   * protobuf request bodies of built-in kinds can be decoded. Not part of OpenAPI. An object
   * with them is a Go struct, whose fields are written as Go's encoding/json writes them (see
   * `SchemaNode.omitsZero` in ./resolve.ts): the zero value of an `omitempty` field is left out.
   */
  proto?: Record<string, number>;
  /**
   * Properties that are Go pointers to a scalar or a time (*int32, *bool, *metav1.Time …): a zero
   * is a value, not absence, on the protobuf wire and in JSON (`replicas: 0` stays).
   */
  protoPointers?: string[];
  /** Go structs embedded inline (VolumeSource in Volume): one nested protobuf message whose fields are this object's. */
  protoInline?: ProtoInline[];
}

/** An inline-embedded struct: its wire field number and the numbers of its (flattened) properties. */
export interface ProtoInline {
  field: number;
  proto: Record<string, number>;
  protoPointers?: string[];
  protoInline?: ProtoInline[];
}

/** Named definitions, keyed by their OpenAPI name. */
export type Definitions = Map<string, Schema>;
