// One interface, two transports: HTTP (kubeconfig) and in-process (a component in the
// same process as the apiserver calls its handler directly, with no HTTP and no JSON).
import type { KubeObject } from '../api/registry.js';
import type { UserInfo } from '../api/auth/user.js';

export type { UserInfo };

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

/** A request as the apiserver's handler takes it, whichever transport carried it. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The URL path, e.g. `/api/v1/namespaces/default/pods`. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names: content-type, accept, user-agent … */
  headers: Record<string, string | undefined>;
  /** The decoded body (in-process callers pass objects; patches pass the patch document). */
  body?: unknown;
  /** The undecoded body (HTTP), decoded by the handler according to content-type. */
  rawBody?: Buffer;
  user?: UserInfo;
}

/** A stream of watch events; `start` is called once. Events must not be mutated by the receiver. */
export interface WatchSource {
  start(onEvent: (e: WatchEvent) => void, onEnd: (err?: Error) => void): void;
  stop(): void;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** The response object (frozen when shared with the server's cache: copy before changing it). */
  body?: unknown;
  /** Pre-encoded JSON for HTTP (the same bytes shared across readers). */
  encoded?: Buffer;
  /**
   * The JSON of `body` in parts, made only when the response goes out over HTTP (in-process callers
   * take `body`): an array, or pieces made as they are written (a large LIST).
   */
  encode?: () => Iterable<Buffer>;
  watch?: WatchSource;
}

/** What the apiserver offers to in-process clients. */
export interface LocalApi {
  handle(req: ApiRequest): Promise<ApiResponse>;
}
