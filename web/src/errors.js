// LitecnnError; the argument checks that raise it, so that each kind of mistake is described
// the same way wherever it is made; and the one gate every call into the wasm module goes
// through (callNative), so that nothing else ever reaches a caller.

/** Every error litecnn throws. `code` is a StatusCode name from C++ (e.g. 'InvalidModel'). */
export class LitecnnError extends Error {
  constructor(message, code = 'InvalidArgument', options) {
    super(message, options);
    this.name = 'LitecnnError';
    this.code = code;
  }
}

export function fail(message, code) {
  throw new LitecnnError(message, code);
}

/**
 * A value as an error message shows it: numbers, booleans and null as they are, strings
 * quoted, arrays by length, objects by class (the caller's data is never dumped).
 */
export function describe(value) {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value.constructor?.name ?? 'object';
}

export const isFiniteNumber = (v) => typeof v === 'number' && Number.isFinite(v);

export const dimsText = (dims) => `[${dims.join(', ')}]`;

/** `choices` as a message lists them: "a", "b", "c". */
export const listed = (choices) => choices.map((c) => JSON.stringify(c)).join(', ');

/**
 * Fails unless `options` is an object whose keys are all in `known`; returns it. `what` names
 * the call ('detectFaces'). A misspelt option is an error, not silently ignored.
 */
export function checkOptionKeys(options, known, what, expected = 'an object') {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    fail(`${what}: options must be ${expected}, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) fail(`${what}: unknown option "${key}" (known: ${known.join(', ')})`);
  }
  return options;
}

/** Fails unless `value` is one of `choices`; undefined gives the first (the default). */
export function checkChoice(value, choices, what) {
  if (value === undefined) return choices[0];
  if (!choices.includes(value)) fail(`${what} must be one of ${listed(choices)}, got ${describe(value)}`);
  return value;
}

// What a non-LitecnnError thrown out of wasm means, for the message.
function whatFailed(module, error) {
  // A C++ exception that a bug let escape: exception catching is off, so JS receives the
  // thrown object's address (src/bindings/bindings.cc explains).
  if (typeof error === 'number') {
    if (Number.isSafeInteger(error) && error > 16 && error < module.HEAP8.length) {
      try {
        return `C++ exception ${module.takeThrownMessage(error)}`;
      } catch {
        // fall through: the number did not lead to an exception object
      }
    }
    return `C++ exception at ${error}`;
  }
  // std::abort(): this build's C++ library aborts where it would throw (an allocation that
  // failed in a container, a failed library check).
  if (error instanceof WebAssembly.RuntimeError && error.message.startsWith('Aborted(')) {
    return `the engine called abort() (out of memory in a C++ container, or a failed library check): ${error.message}`;
  }
  // A wasm trap: 'unreachable', 'memory access out of bounds', a stack overflow...
  if (error instanceof WebAssembly.RuntimeError) return `wasm trap: ${error.message}`;
  // In JS glue: a failed memory growth or a typed array that could not be allocated.
  if (error instanceof RangeError) return `out of memory: ${error.message}`;
  return String(error?.message ?? error);
}

/**
 * Runs fn (which calls into `module`) and returns its result. Whatever it throws that is not a
 * LitecnnError (a C++ exception, a wasm trap, an allocation failure in the glue) is an engine
 * bug: it becomes LitecnnError 'Internal' naming `what` and the failure, and the module's
 * stack pointer, which the unwinding skipped restoring, is put back so that the next call works.
 */
export function callNative(module, what, fn) {
  const stack = module.stackSave();
  try {
    return fn();
  } catch (error) {
    if (error instanceof LitecnnError) throw error;
    module.stackRestore(stack);
    throw new LitecnnError(`${what}: internal error in the engine: ${whatFailed(module, error)}`, 'Internal', { cause: error });
  }
}
