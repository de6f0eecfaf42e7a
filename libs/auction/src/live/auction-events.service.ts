import { Injectable, Logger, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import IORedis from 'ioredis';
import { filter, map, Observable, share, Subject } from 'rxjs';
import { AppConfig } from '@market/config';
import { RedisWatch } from '@market/queue';

export type AuctionEvent =
  | { type: 'bid'; auctionId: string; seq: number; amountFen: number; at: string }
  | { type: 'extended'; auctionId: string; endsAt: string }
  | { type: 'opened'; auctionId: string; endsAt: string }
  | { type: 'closed'; auctionId: string; status: string; finalPriceFen: number | null }
  | { type: 'settled'; auctionId: string; status: string };

/**
 * Live auction events through Redis pub/sub, so a bid accepted by any api process (or a close
 * done by a worker) reaches the server-sent event streams of every api process. Publishing is
 * best effort: the database stays the record, and a client that reconnects reads the auction.
 */
@Injectable()
export class AuctionEventsService implements OnModuleDestroy {
  private readonly logger = new Logger(AuctionEventsService.name);
  private readonly channel: string;
  private publisher: IORedis | undefined;
  private subscriber: IORedis | undefined;
  private readonly incoming = new Subject<AuctionEvent>();
  private readonly shared = this.incoming.pipe(share());

  constructor(
    private readonly config: AppConfig,
    private readonly redisWatch: RedisWatch,
  ) {
    this.channel = `${config.redis.queuePrefix}:auction-events`;
  }

  /** One message for the lot: a round of bids publishes once, however many auctions it moved. */
  publish(events: AuctionEvent[]): void {
    if (events.length === 0) return;
    this.publisher ??= this.connect('publisher');
    this.publisher
      .publish(this.channel, JSON.stringify(events))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not publish auction events'));
  }

  /** Server-sent events for one auction; the subscription to Redis opens on first use. */
  stream(auctionId: string): Observable<MessageEvent> {
    if (!this.subscriber) {
      this.subscriber = this.connect('subscriber');
      this.subscriber.on('message', (_channel: string, message: string) => {
        let events: AuctionEvent[];
        try {
          events = JSON.parse(message) as AuctionEvent[];
        } catch {
          return; // not ours
        }
        if (Array.isArray(events)) for (const event of events) this.incoming.next(event);
      });
      void this.subscriber.subscribe(this.channel);
    }
    return this.shared.pipe(
      filter((event) => event.auctionId === auctionId),
      map((event): MessageEvent => ({ type: event.type, data: event })),
    );
  }

  /**
   * Whether the subscription to Redis is live, once it is (for callers that must not miss the next
   * event); false while no stream has been opened in this process.
   */
  async ready(): Promise<boolean> {
    if (!this.subscriber) return false;
    if (this.subscriber.status !== 'ready') await new Promise((resolve) => this.subscriber!.once('ready', resolve));
    await this.subscriber.subscribe(this.channel);
    return true;
  }

  private connect(role: string): IORedis {
    const client = new IORedis(this.config.redis.url, {
      maxRetriesPerRequest: null,
      connectionName: `auction-events-${role}`,
    });
    // An outage is logged once, with the queues' own errors, and its end too: not one line per retry.
    client.on('error', (error) => this.redisWatch.report(error, `auction events ${role}`));
    return client;
  }

  onModuleDestroy(): void {
    this.incoming.complete();
    this.publisher?.disconnect();
    this.subscriber?.disconnect();
  }
}
