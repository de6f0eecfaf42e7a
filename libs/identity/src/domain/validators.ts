import { registerDecorator, ValidationOptions } from 'class-validator';
import { regionCodeProblem } from './region-code';
import { usccProblem } from './uscc';

function checkedBy(name: string, problemOf: (value: string) => string | null, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && problemOf(value) === null,
        defaultMessage: (args) =>
          typeof args?.value === 'string'
            ? `${args.property} ${problemOf(args.value)}`
            : `${args?.property} must be a string`,
      },
    });
}

export const IsUscc = (options?: ValidationOptions) => checkedBy('isUscc', usccProblem, options);
export const IsRegionCode = (options?: ValidationOptions) => checkedBy('isRegionCode', regionCodeProblem, options);
