import { Injectable, OnApplicationBootstrap, RequestMethod, Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService } from '@nestjs/core';
import { IdempotencyInterceptor, OWN_IDEMPOTENCY } from './idempotency.interceptor';

const MUTATING = [RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE];

/** The POST (and other mutating) routes among `controllers` that honour no Idempotency-Key, as `Controller.method`. */
export function postRoutesWithoutIdempotency(controllers: Type[]): string[] {
  const uncovered: string[] = [];
  const attaches = (target: object) =>
    ((Reflect.getMetadata(INTERCEPTORS_METADATA, target) as unknown[] | undefined) ?? []).includes(
      IdempotencyInterceptor,
    );
  const ownsKeys = (target: object) => Reflect.getMetadata(OWN_IDEMPOTENCY, target) === true;
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      // Every mutating route, not only POST: the interceptor is also what opens its transaction.
      if (!MUTATING.includes(Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod)) continue;
      if ([controller, handler].some((target) => attaches(target) || ownsKeys(target))) continue;
      uncovered.push(`${controller.name}.${name}`);
    }
  }
  return uncovered;
}

/**
 * The idempotency interceptor is attached per controller (`IdempotentPosts`), not globally, so a
 * new POST route could be left without it: the api refuses to start if one is.
 */
@Injectable()
export class IdempotencyCoverage implements OnApplicationBootstrap {
  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const controllers = this.discovery
      .getControllers()
      .map((wrapper) => wrapper.metatype)
      .filter((metatype): metatype is Type => typeof metatype === 'function');
    const uncovered = postRoutesWithoutIdempotency(controllers);
    if (uncovered.length) {
      throw new Error(
        `POST routes without Idempotency-Key handling (add @IdempotentPosts() or @HandlesOwnIdempotency()): ${uncovered.join(', ')}`,
      );
    }
  }
}
