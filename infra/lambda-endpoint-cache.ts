// Bundled in place of @aws-sdk/endpoint-cache (see infra/bundling.ts). Every DynamoDB client builds one for
// endpoint discovery, a legacy feature that is off unless a client turns it on; the package's LRU comes from
// mnemonist and obliterator, about 7 KB of every bundle. This is the same cache (same methods, same expiry
// and least-recently-used eviction) over a Map, whose insertion order is the recency order.

type Endpoint = { Address: string; CachePeriodInMinutes: number };
type EndpointWithExpiry = { Address: string; Expires: number };

export class EndpointCache {
  private readonly cache = new Map<string, EndpointWithExpiry[]>();

  constructor(private readonly capacity: number) {}

  getEndpoint(key: string): string | undefined {
    const endpoints = this.get(key);
    if (!endpoints || endpoints.length === 0) return undefined;
    return endpoints[Math.floor(Math.random() * endpoints.length)]!.Address;
  }

  get(key: string): EndpointWithExpiry[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.cache.get(key)!;
    this.touch(key, value);
    const now = Date.now();
    const live = value.filter((endpoint) => now < endpoint.Expires);
    if (live.length === 0) {
      this.delete(key);
      return undefined;
    }
    return live;
  }

  set(key: string, endpoints: Endpoint[]): void {
    const now = Date.now();
    this.touch(key, endpoints.map(({ Address, CachePeriodInMinutes }) => ({ Address, Expires: now + CachePeriodInMinutes * 60 * 1000 })));
  }

  delete(key: string): void {
    this.touch(key, []);
  }

  has(key: string): boolean {
    return (this.cache.get(key)?.length ?? 0) > 0;
  }

  clear(): void {
    this.cache.clear();
  }

  /** Stores the value as the most recently used, evicting the least recently used beyond capacity. */
  private touch(key: string, value: EndpointWithExpiry[]): void {
    this.cache.delete(key);
    this.cache.set(key, value);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
  }
}
