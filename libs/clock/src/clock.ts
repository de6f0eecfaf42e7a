import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The time every deadline is computed and re-checked against. Injected so tests can move time
 * forward instead of sleeping; production uses the system clock (UTC).
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
