// One resource kept in step with the API server as client-go's reflector does it, on the raw
// JSON path: a paginated list (limit, follow `continue`), then a watch from the list's
// resourceVersion (bookmarks on, a server-side timeout, re-watched from the last
// resourceVersion it saw); 410 Gone (HTTP 410, or an ERROR event with code 410 / Expired)
// re-lists and replaces. Each raw object is mapped to a small record as soon as it is parsed.
// No polling: between lists, only the watch stream speaks.

import { abortableDelay } from '../../domain/abortable-delay';
import { KubeApiError, type KubeConnection } from './kube-connection';
import { isProtobufAnswer, PROTOBUF_MEDIA_TYPE, protobufContinueToken, readProtobufList, type ProtobufReader } from './protobuf-list';

/** What the informer reads of every object: its identity and version. */
export interface KubeObject {
  metadata?: { uid?: string; name?: string; namespace?: string; resourceVersion?: string };
}

interface KubeList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

interface WatchEvent {
  type?: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object?: KubeObject & { code?: number; reason?: string; message?: string };
}

export interface InformerResource<Item> {
  /** Plural name for messages ("pods"). */
  name: string;
  /** The collection, e.g. `/api/v1/namespaces/shop/pods` or `/apis/apps/v1/deployments`. */
  path: string;
  /** Extra query parameters of the list and the watch (fieldSelector). */
  query?: Record<string, string>;
  /** The record kept of a raw object; undefined: not kept (a deletion for a known one). */
  map(raw: KubeObject): Item | undefined;
  /**
   * Reads one item of a protobuf list into the part of its JSON form that `map` reads: when
   * given, list pages are asked for in the API server's protobuf encoding (JSON still accepted).
   */
  protobufItem?(reader: ProtobufReader): KubeObject;
}

export interface InformerListener<Item> {
  /** A whole list (first list, re-list after 410): every record by uid. */
  replaced(items: Map<string, Item>): void;
  upserted(uid: string, item: Item): void;
  removed(uid: string): void;
}

export interface InformerOptions {
  /** Objects per list page (default 500). */
  pageSize?: number;
  /** The watch's server-side timeout; each watch asks 0.8-1.2 times this (default 300 s). */
  watchTimeoutSeconds?: number;
  signal: AbortSignal;
  /** Called when a watch ended in 410 Gone and the resource is listed again. */
  onRelist?(reason: string): void;
  /** An object or a watch line that could not be read: skipped, and said here (the connection stays). */
  onProblem?(problem: string): void;
}

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_WATCH_TIMEOUT_SECONDS = 300;
/** A watch that stays silent this long past its own timeout is a dead connection. */
const WATCH_SILENCE_MARGIN_MS = 30_000;
/** A 410 this soon after a list waits this long before the next list (no tight re-list loop). */
const RELIST_PAUSE_MS = 1000;

/** A mapping that failed (as opposed to an object deliberately not kept). */
const UNREADABLE = Symbol('unreadable');

/** The resourceVersion a watch must restart from is gone (compacted): list again. */
export class ResourceExpiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceExpiredError';
  }
}

export function isGone(error: unknown): boolean {
  return error instanceof ResourceExpiredError || (error instanceof KubeApiError && (error.status === 410 || error.reason === 'Expired' || error.reason === 'Gone'));
}

/** The list's continue token, read from the head of its answer (metadata precedes the items). */
function continueTokenOf(answer: Buffer, contentType: string): string | undefined {
  if (isProtobufAnswer(contentType)) return protobufContinueToken(answer);
  const head = answer.toString('utf8', 0, Math.min(answer.length, 8192));
  const items = head.indexOf('"items"');
  if (items === -1) return undefined;
  return /"continue":"([^"\\]+)"/.exec(head.slice(0, items))?.[1];
}

function withQuery(path: string, query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return search === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${search}`;
}

interface PageFetch {
  answer: Promise<{ body: Buffer; contentType: string }>;
  /** The continue token read from this page's head. */
  headToken?: string | undefined;
  /** The next page, asked for from this one's head. */
  next?: { token: string; page: PageFetch };
}

export class KubeInformer<Item> {
  /** The resourceVersion of the last list or watch event seen. */
  resourceVersion: string | undefined;
  private readonly known = new Set<string>();

  constructor(
    private readonly connection: KubeConnection,
    private readonly resource: InformerResource<Item>,
    private readonly options: InformerOptions,
  ) {}

  /** Every object, page by page (restarted from the top should a `continue` token expire). */
  async list(): Promise<Map<string, Item>> {
    for (;;) {
      try {
        return await this.listPages();
      } catch (error) {
        if (!isGone(error) || this.options.signal.aborted) throw error;
        this.options.onRelist?.(`the ${this.resource.name} list's continue token expired`);
      }
    }
  }

  /**
   * The pages one after the other, the next one asked for as soon as this one's head has come
   * (the server writes the list's metadata, with its continue token, first): the server prepares
   * the next page while this one is still arriving and being parsed and mapped.
   */
  private async listPages(): Promise<Map<string, Item>> {
    const items = new Map<string, Item>();
    const pages = { asked: 0, read: 0 };
    let pending: PageFetch | undefined = this.fetchPageAhead(undefined, pages);
    while (pending) {
      const current: PageFetch = pending;
      // This page's head may have come while the one before was still read: ask for the next now.
      if (current.next === undefined && current.headToken !== undefined) current.next = { token: current.headToken, page: this.fetchPageAhead(current.headToken, pages) };
      const answer = await current.answer;
      pages.read += 1;
      // The head may have come in a piece too short to name the token: read it from the answer.
      const token: string | undefined = current.next === undefined ? continueTokenOf(answer.body, answer.contentType) : undefined;
      if (token !== undefined) current.next = { token, page: this.fetchPageAhead(token, pages) };
      const early: PageFetch['next'] = current.next;
      const page = this.pageOf(answer.body, answer.contentType);
      // The page's raw objects are dropped as soon as they are mapped.
      for (const raw of page.items ?? []) {
        const uid = raw.metadata?.uid;
        const item = uid === undefined ? undefined : this.mapped(raw);
        if (uid !== undefined && item !== undefined && item !== UNREADABLE) items.set(uid, item);
      }
      this.resourceVersion = page.metadata?.resourceVersion ?? this.resourceVersion;
      const next = page.metadata?.continue || undefined;
      if (next !== undefined && next === early?.token) pending = early.page;
      else pending = next === undefined ? undefined : this.fetchPageAhead(next, pages);
    }
    this.known.clear();
    for (const uid of items.keys()) this.known.add(uid);
    return items;
  }

  /**
   * A page, and the next one asked for once this one's head names its continue token, while at
   * most one page is asked for ahead of the one being read (pages do not pile up in memory).
   */
  private fetchPageAhead(continueToken: string | undefined, pages: { asked: number; read: number }): PageFetch {
    pages.asked += 1;
    const fetched: PageFetch = {
      answer: this.fetchPage(continueToken, (head, contentType) => {
        const token = continueTokenOf(head, contentType);
        fetched.headToken = token;
        if (token !== undefined && fetched.next === undefined && pages.asked - pages.read < 2) fetched.next = { token, page: this.fetchPageAhead(token, pages) };
      }),
    };
    // Awaited later (after this page): a failure before then is not an unhandled rejection.
    fetched.answer.catch(() => undefined);
    return fetched;
  }

  private fetchPage(continueToken: string | undefined, onHead?: (head: Buffer, contentType: string) => void): Promise<{ body: Buffer; contentType: string }> {
    const query: Record<string, string> = { ...this.resource.query, limit: String(this.options.pageSize ?? DEFAULT_PAGE_SIZE) };
    if (continueToken) query['continue'] = continueToken;
    const accept = this.resource.protobufItem ? `${PROTOBUF_MEDIA_TYPE}, application/json` : 'application/json';
    return this.connection.requestBody({ path: withQuery(this.resource.path, query), signal: this.options.signal, timeoutMs: 60_000, ...(onHead ? { onHead } : {}) }, accept);
  }

  /** A list page as JSON or, when the server answered so, protobuf (its items read by the resource). */
  private pageOf(body: Buffer, contentType: string): KubeList {
    const item = this.resource.protobufItem;
    if (item && isProtobufAnswer(contentType)) return readProtobufList(body, (reader) => item(reader));
    return JSON.parse(body.toString('utf8')) as KubeList;
  }

  /**
   * List, then watch until the signal aborts; 410 re-lists (the listener gets `replaced`).
   * `from`: start with a watch from this resourceVersion instead of a list (a 410 then lists).
   * Rejects on any other failure (the caller reconnects); resolves when aborted.
   */
  async run(listener: InformerListener<Item>, from?: string): Promise<void> {
    const signal = this.options.signal;
    let listed = from !== undefined;
    let listedAt = 0;
    if (from !== undefined) this.resourceVersion = from;
    try {
      for (;;) {
        if (!listed) {
          listener.replaced(await this.list());
          listed = true;
          listedAt = Date.now();
        }
        if (signal.aborted) return;
        try {
          await this.watchOnce(listener);
        } catch (error) {
          if (!isGone(error)) throw error;
          this.options.onRelist?.(error instanceof Error ? error.message : String(error));
          if (Date.now() - listedAt < RELIST_PAUSE_MS) await abortableDelay(RELIST_PAUSE_MS, signal);
          listed = false;
        }
        if (signal.aborted) return;
      }
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
  }

  /** One watch from the current resourceVersion, until the server ends it. */
  private async watchOnce(listener: InformerListener<Item>): Promise<void> {
    const base = this.options.watchTimeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_SECONDS;
    const timeoutSeconds = Math.max(1, Math.round(base * (0.8 + Math.random() * 0.4)));
    const query: Record<string, string> = {
      ...this.resource.query,
      watch: '1',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(timeoutSeconds),
    };
    if (this.resourceVersion !== undefined) query['resourceVersion'] = this.resourceVersion;
    let failure: Error | undefined;
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    this.options.signal.addEventListener('abort', abort, { once: true });
    try {
      await this.connection.stream(
        { path: withQuery(this.resource.path, query), signal: controller.signal, timeoutMs: timeoutSeconds * 1000 + WATCH_SILENCE_MARGIN_MS },
        (line) => {
          if (failure) return;
          let event: WatchEvent;
          try {
            event = JSON.parse(line) as WatchEvent;
          } catch {
            this.options.onProblem?.(`an unreadable ${this.resource.name} watch line was skipped: ${line.slice(0, 120)}`);
            return;
          }
          try {
            this.onEvent(event, listener);
          } catch (error) {
            failure = error instanceof Error ? error : new Error(String(error));
            // Not from inside the response's own event: the request is cut once this line is handled.
            setImmediate(() => controller.abort());
          }
        },
      );
    } catch (error) {
      if (!failure) throw error;
    } finally {
      this.options.signal.removeEventListener('abort', abort);
    }
    if (failure) throw failure;
  }

  /** The record of a raw object; a mapping failure skips the object (said once as a problem), not the list. */
  private mapped(raw: KubeObject): Item | undefined | typeof UNREADABLE {
    try {
      return this.resource.map(raw);
    } catch (error) {
      const name = [raw.metadata?.namespace, raw.metadata?.name].filter(Boolean).join('/');
      this.options.onProblem?.(`${this.resource.name} ${name} could not be read: ${error instanceof Error ? error.message : String(error)}`);
      return UNREADABLE;
    }
  }

  private onEvent(event: WatchEvent, listener: InformerListener<Item>): void {
    const object = event.object;
    if (event.type === 'ERROR') {
      const code = object?.code ?? 0;
      const message = object?.message ?? `the ${this.resource.name} watch failed`;
      if (code === 410 || object?.reason === 'Expired' || object?.reason === 'Gone') throw new ResourceExpiredError(message);
      throw new KubeApiError(code, object?.reason ?? String(code), message);
    }
    const version = object?.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
    if (event.type === 'BOOKMARK' || !object) return;
    const uid = object.metadata?.uid;
    if (uid === undefined) return;
    const item = event.type === 'DELETED' ? undefined : this.mapped(object);
    // An object that could not be read keeps what was known of it.
    if (item === UNREADABLE) return;
    if (item === undefined) {
      if (this.known.delete(uid)) listener.removed(uid);
      return;
    }
    this.known.add(uid);
    listener.upserted(uid, item);
  }
}
