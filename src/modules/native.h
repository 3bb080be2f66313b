/*
 * native: the C module "weft:internal/native", through which weft's builtin
 * JavaScript reaches the C side. Each export is one subsystem's binding
 * object, made by the function of that subsystem's file.
 */
#ifndef WEFT_NATIVE_H
#define WEFT_NATIVE_H

#include <stdbool.h>

#include "quickjs.h"

bool weft__native_is_module(const char *id);
JSModuleDef *weft__native_module(JSContext *ctx, const char *id);

/* Binding objects, one per subsystem file in src/modules/. */
JSValue weft__binding_process(JSContext *ctx);
JSValue weft__binding_timers(JSContext *ctx);
JSValue weft__binding_modules(JSContext *ctx);
JSValue weft__binding_ports(JSContext *ctx);
JSValue weft__binding_threads(JSContext *ctx);
JSValue weft__binding_fs(JSContext *ctx);
JSValue weft__binding_vm(JSContext *ctx);

/* The JSContext of a vm context: `contextified` is a sandbox returned by
 * vm.createContext (or the binding's holder object). The context is borrowed:
 * it lives as long as `contextified` does (JS_DupContext to keep it longer).
 * NULL, with no exception pending, when `contextified` is not a context.
 * For C code that makes objects in another context of the thread (worker
 * threads' moveMessagePortToContext). See src/modules/vmctx.c. */
JSContext *weft__vm_context_of(JSContext *ctx, JSValueConst contextified);

/* MessagePort objects: class set-up for a new context, and delivery of a
 * port's mail on its thread (the inbox callback, see core/port.h). */
int weft__ports_init(JSContext *ctx);

/* At a vm's end: closes its ports and drops the references started ports
 * hold on themselves, so that the runtime can be freed. */
struct weft_vm;
void weft__ports_dispose(struct weft_vm *vm);

/* Replaces Atomics.wait/notify with versions terminate() can interrupt. */
int weft__atomics_install(JSContext *ctx);
struct weft_port;
void weft__ports_deliver(struct weft_port *p, void *vm);

#endif
