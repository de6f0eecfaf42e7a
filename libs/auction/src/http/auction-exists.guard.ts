import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { AuctionsService } from '../auctions.service';

/**
 * Refuses a route for an auction that does not exist, before the handler runs. The live-event
 * stream needs this: its headers (200, text/event-stream) go out on the next turn of the event
 * loop, before a handler wrapped by the controller's interceptor could fail; a guard still runs
 * while the exception filter can answer 404.
 */
@Injectable()
export class AuctionExistsGuard implements CanActivate {
  constructor(private readonly auctions: AuctionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { id } = context.switchToHttp().getRequest<{ params: { id?: string } }>().params;
    if (id === undefined || !isUUID(id)) return true; // a malformed id is the pipe's 400
    await this.auctions.get(id);
    return true;
  }
}
