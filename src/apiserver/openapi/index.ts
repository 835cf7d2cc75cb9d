// OpenAPI documents served at /openapi/v2 and /openapi/v3, built from the resource registry.
export { openapiV2, openapiV2Document } from './v2.js';
export { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_ACCEPTS, openapiV2Protobuf } from './v2-protobuf.js';
export { openapiV3Discovery, openapiV3DiscoveryDocument, openapiV3Document, openapiV3GroupVersion } from './v3.js';
export type { SerializedDocument } from './cache.js';
