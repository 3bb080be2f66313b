// Builtin methods and prototypes, captured when the module loads, so that
// user code patching prototypes cannot change what util.inspect prints or
// what util.types answers (weft:internal/inspect, weft:internal/types).

export const uncurryThis = (fn) => Function.prototype.call.bind(fn);
export const getterOf = (proto, key) => uncurryThis(Object.getOwnPropertyDescriptor(proto, key).get);

export const objectToString = uncurryThis(Object.prototype.toString);
export const isPrototypeOf = uncurryThis(Object.prototype.isPrototypeOf);
export const regExpSource = getterOf(RegExp.prototype, 'source');
export const dateGetTime = uncurryThis(Date.prototype.getTime);
export const numberValueOf = uncurryThis(Number.prototype.valueOf);
export const stringValueOf = uncurryThis(String.prototype.valueOf);
export const booleanValueOf = uncurryThis(Boolean.prototype.valueOf);
export const bigIntValueOf = uncurryThis(BigInt.prototype.valueOf);
export const symbolValueOf = uncurryThis(Symbol.prototype.valueOf);
export const mapSize = getterOf(Map.prototype, 'size');
export const setSize = getterOf(Set.prototype, 'size');
export const weakMapHas = uncurryThis(WeakMap.prototype.has);
export const weakSetHas = uncurryThis(WeakSet.prototype.has);
export const arrayBufferByteLength = getterOf(ArrayBuffer.prototype, 'byteLength');
export const sharedArrayBufferByteLength = typeof SharedArrayBuffer === 'function'
  ? getterOf(SharedArrayBuffer.prototype, 'byteLength') : undefined;
export const dataViewBuffer = getterOf(DataView.prototype, 'buffer');
export const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
export const typedArrayTag = getterOf(TypedArrayPrototype, Symbol.toStringTag);
export const MapIteratorPrototype = Object.getPrototypeOf(new Map().entries());
export const SetIteratorPrototype = Object.getPrototypeOf(new Set().values());
export const AsyncFunctionPrototype = Object.getPrototypeOf(async function () {});
export const GeneratorFunctionPrototype = Object.getPrototypeOf(function* () {});
export const AsyncGeneratorFunctionPrototype = Object.getPrototypeOf(async function* () {});

// Most builtin types can only be told apart by calling one of their methods
// and seeing whether it throws: the engine's own brand check, which user
// code can neither fake nor hide.
export function passesBrandCheck(check, value) {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}
