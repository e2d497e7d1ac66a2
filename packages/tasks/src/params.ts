import type { TaskDefinition, TaskParams } from './contract';

/**
 * Fills in the defaults of a definition's parameters and checks the given values.
 * @param definition - the task definition
 * @param given - the values to use; missing ones take their default
 * @returns every parameter of the definition, in definition order
 * @throws RangeError naming the parameter for an unknown name, a wrong type, a number out of its
 *   bounds or a string not among its options
 */
export function resolveParams(
  definition: TaskDefinition,
  given: Readonly<Partial<TaskParams>> = {},
): TaskParams {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(definition.parameters, name)) {
      throw new RangeError(`the ${definition.id} task has no parameter "${name}"`);
    }
  }
  const params: TaskParams = {};
  for (const [name, spec] of Object.entries(definition.parameters)) {
    const value = given[name] ?? spec.default;
    if (typeof value !== spec.type) {
      throw new RangeError(`parameter "${name}" must be a ${spec.type}, got ${JSON.stringify(value)}`);
    }
    if (spec.type === 'number') {
      const n = value as number;
      if (!Number.isFinite(n) || n < spec.min || n > spec.max) {
        throw new RangeError(
          `parameter "${name}" must be between ${spec.min} and ${spec.max} ${spec.unit}, got ${n}`,
        );
      }
    } else if (spec.type === 'string' && spec.options && !spec.options.includes(value as string)) {
      throw new RangeError(
        `parameter "${name}" must be one of ${spec.options.join(', ')}, got ${JSON.stringify(value)}`,
      );
    }
    params[name] = value;
  }
  return params;
}
