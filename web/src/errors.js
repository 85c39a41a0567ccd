// LitecnnError, and the one gate every call into the wasm module goes through, so that nothing
// else ever reaches a caller.

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
