package io.jasyncio.internal;

import io.jasyncio.Coroutine;
import io.jasyncio.Task;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Links the call sites of {@link Woven#awaitCall}: {@code await(owner.name(args))} where the transformer could not
 * prove at build time that the awaited method's body may be called directly (another class's method, which may be
 * woven or not when it loads; an overridable method). Not API.
 *
 * <p>What a call site does, decided here once (per receiver class for an overridable method):
 * <ul>
 *   <li><em>direct</em>: calls the static body ({@code async$name(args..., frame = null, null, null, task)}) of the
 *       method the JVM would run, when that method's class was woven for this {@link Woven#PROTOCOL} (it declares
 *       the field {@code jasyncio$protocol$N}) and has that body;</li>
 *   <li><em>generic</em>, otherwise: calls the creator as the original {@code invokestatic}, {@code invokevirtual}
 *       or {@code invokeinterface} would (same resolution, same dispatch, same access checks: through the awaiting
 *       class's own lookup), then {@link Woven#awaitCalled}, which awaits the coroutine as a plain {@code await}
 *       does and returns the same "value or {@code SUSPENDED}" as a body.</li>
 * </ul>
 * A static method, and an instance method that nothing can override (final, private, or of a final class), get a
 * {@link ConstantCallSite}. An overridable method gets an inline cache keyed on the receiver's exact class (up to
 * {@link #MAX_CLASSES} classes, each behind a guard; any other class then takes the generic path): for each class the linker selects the method as the JVM does
 * (JVMS 5.4.6) and goes direct only when the selected method is a woven {@code @Async} method; anything unusual
 * (a private or static method on the way, a package-private resolved method overridden in a subclass, a default
 * method declared in more than one superinterface, a bridge) stays generic. The body is private: it is reached through
 * {@link MethodHandles#privateLookupIn}, only after the awaiting class's lookup has shown that it may call the
 * creator itself, and only where the JVM allows deep reflection (named modules that do not open the package to the
 * caller stay generic).
 */
final class DirectCallLinker {
    /** The prefix of a body's name (the transformer's {@code Names.BODY_PREFIX}). */
    static final String BODY_PREFIX = "async$";
    /** The field that a class woven for this protocol declares (the transformer's {@code PROTOCOL_FIELD}). */
    static final String PROTOCOL_FIELD = "jasyncio$protocol$" + Woven.PROTOCOL;
    /** Receiver classes an overridable call site tells apart before it goes generic for good. */
    static final int MAX_CLASSES = 4;

    private static final MethodHandle AWAIT_CALLED;
    private static final MethodHandle IS_EXACTLY;
    private static final MethodHandle MISS;

    static {
        MethodHandles.Lookup l = MethodHandles.lookup();
        try {
            AWAIT_CALLED = l.findStatic(Woven.class, "awaitCalled",
                    MethodType.methodType(Object.class, Coroutine.class, Task.class));
            IS_EXACTLY = l.findStatic(DirectCallLinker.class, "isExactly",
                    MethodType.methodType(boolean.class, Class.class, Object.class));
            MISS = l.findVirtual(InlineCache.class, "miss", MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The woven bodies of each class woven for this protocol (empty for any other class). */
    private static final ClassValue<Method[]> BODIES = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> c) {
            try {
                Field f = c.getDeclaredField(PROTOCOL_FIELD);
                int mods = f.getModifiers();
                if (f.getType() != int.class || !Modifier.isStatic(mods) || !Modifier.isFinal(mods) || !f.isSynthetic()) {
                    return new Method[0];
                }
                return Arrays.stream(c.getDeclaredMethods())
                        .filter(m -> m.getName().startsWith(BODY_PREFIX) && m.isSynthetic()
                                && Modifier.isStatic(m.getModifiers()) && m.getReturnType() == Object.class)
                        .toArray(Method[]::new);
            } catch (NoSuchFieldException | LinkageError | SecurityException e) {
                return new Method[0]; // not woven (for this protocol), or its members cannot all be resolved
            }
        }
    };

    private DirectCallLinker() {
    }

    static CallSite link(MethodHandles.Lookup caller, String name, MethodType type, String owner, int opcode) {
        boolean isStatic = opcode == 184; // INVOKESTATIC; else INVOKEVIRTUAL (182) or INVOKEINTERFACE (185)
        MethodType creatorType = type.dropParameterTypes(type.parameterCount() - 1, type.parameterCount());
        if (!isStatic) {
            creatorType = creatorType.dropParameterTypes(0, 1);
        }
        creatorType = creatorType.changeReturnType(Coroutine.class);
        Class<?> ownerClass;
        MethodHandle creator;
        try {
            ownerClass = caller.findClass(owner.replace('/', '.')); // loaded, access checked, not initialized
            creator = isStatic ? caller.findStatic(ownerClass, name, creatorType)
                    : caller.findVirtual(ownerClass, name, creatorType);
        } catch (ClassNotFoundException e) { // what the plain call would throw, at each call as it would
            return thrower(type, new NoClassDefFoundError(owner));
        } catch (NoSuchMethodException e) {
            return thrower(type, new NoSuchMethodError(owner.replace('/', '.') + "." + name + creatorType));
        } catch (IllegalAccessException e) {
            return thrower(type, new IllegalAccessError(e.getMessage()));
        } catch (LinkageError e) { // the owner class failed to load or link (a VerifyError, ...): the same error
            return thrower(type, e);
        }
        MethodHandle generic = MethodHandles.collectArguments(AWAIT_CALLED, 0, creator).asType(type);
        try {
            return link(caller, name, type, creator, creatorType, generic, isStatic);
        } catch (RuntimeException | LinkageError e) { // whatever the direct path could not work out: generic
            return new ConstantCallSite(generic);
        }
    }

    private static CallSite link(MethodHandles.Lookup caller, String name, MethodType type, MethodHandle creator,
                                 MethodType creatorType, MethodHandle generic, boolean isStatic) {
        MethodHandleInfo info = caller.revealDirect(creator);
        Class<?> declaring = info.getDeclaringClass();
        int mods = info.getModifiers();
        Class<?>[] params = creatorType.parameterArray();
        if (isStatic) {
            MethodHandle body = body(caller, declaring, name, params, true);
            return new ConstantCallSite(body == null ? generic : body.asType(type));
        }
        // a private method (a nestmate's, of a class or an interface) is the one invoked, with no selection; a final
        // method or a method of a final class cannot be overridden
        if (Modifier.isPrivate(mods) || !declaring.isInterface() && (Modifier.isFinal(mods)
                || Modifier.isFinal(declaring.getModifiers()))) {
            MethodHandle body = Modifier.isAbstract(mods) ? null : body(caller, declaring, name, params, false);
            return new ConstantCallSite(body == null ? generic : body.asType(type));
        }
        return new InlineCache(caller, name, params, declaring, mods, generic, type);
    }

    /**
     * The body of {@code c}'s {@code @Async} method {@code name(params)}, as a handle of the creator's parameters
     * (receiver first) and the task, or {@code null} if {@code c} was not woven for this protocol or has no such
     * body, or the caller may not reach it.
     */
    private static MethodHandle body(MethodHandles.Lookup caller, Class<?> c, String name, Class<?>[] params,
                                     boolean isStatic) {
        int n = params.length + (isStatic ? 0 : 1);
        for (Method m : BODIES.get(c)) {
            Class<?>[] p = m.getParameterTypes();
            if (!m.getName().equals(BODY_PREFIX + name) || p.length != n + 4
                    || (!isStatic && p[0] != c)
                    || !Arrays.equals(p, isStatic ? 0 : 1, n, params, 0, params.length)
                    || !Coroutine.class.isAssignableFrom(p[n]) || p[n + 1] != Object.class
                    || p[n + 2] != Throwable.class || p[n + 3] != Task.class) {
                continue;
            }
            try {
                MethodHandle h = MethodHandles.privateLookupIn(c, caller).unreflect(m);
                return MethodHandles.insertArguments(h, n, null, null, null); // no frame, value or exception
            } catch (IllegalAccessException | SecurityException e) {
                return null; // a named module that does not open the body's package to the caller
            }
        }
        return null;
    }

    private static CallSite thrower(MethodType type, LinkageError error) {
        MethodHandle t = MethodHandles.throwException(type.returnType(), LinkageError.class).bindTo(error);
        return new ConstantCallSite(MethodHandles.dropArguments(t, 0, type.parameterArray()));
    }

    static boolean isExactly(Class<?> k, Object o) {
        return o != null && o.getClass() == k;
    }

    /** The call site of an overridable method: a chain of exact-class guards, each to a direct body or generic. */
    static final class InlineCache extends MutableCallSite {
        private final MethodHandles.Lookup caller;
        private final String name;
        private final Class<?>[] params;
        /** The class or interface that declares the resolved method, and its modifiers. */
        private final Class<?> declaring;
        private final int mods;
        private final MethodHandle generic;
        /** The receiver classes seen, and the handle for each (a body, or {@link #generic}). */
        private final List<Class<?>> seen = new ArrayList<>();
        private final List<MethodHandle> handles = new ArrayList<>();

        InlineCache(MethodHandles.Lookup caller, String name, Class<?>[] params, Class<?> declaring, int mods,
                    MethodHandle generic, MethodType type) {
            super(type);
            this.caller = caller;
            this.name = name;
            this.params = params;
            this.declaring = declaring;
            this.mods = mods;
            this.generic = generic;
            setTarget(missHandler());
        }

        private MethodHandle missHandler() {
            return MISS.bindTo(this).asCollector(Object[].class, type().parameterCount()).asType(type());
        }

        /** A receiver of a class not seen yet: selects its method, extends the chain, and calls it. */
        Object miss(Object[] args) throws Throwable {
            Object receiver = args[0];
            if (receiver == null) { // the creator call throws NullPointerException, as the plain call does
                return generic.invokeWithArguments(args);
            }
            Class<?> k = receiver.getClass();
            MethodHandle body = selected(k);
            MethodHandle forK = body == null ? generic : body.asType(type());
            synchronized (this) {
                if (seen.size() < MAX_CLASSES && !seen.contains(k)) {
                    seen.add(k);
                    handles.add(forK);
                    // the classes seen, in order, each behind a guard on the receiver's exact class; then, once
                    // the cache is full, every other class takes the generic path (megamorphic), else a miss
                    MethodHandle chain = seen.size() < MAX_CLASSES ? missHandler() : generic;
                    for (int i = seen.size() - 1; i >= 0; i--) {
                        MethodHandle test = MethodHandles.insertArguments(IS_EXACTLY, 0, seen.get(i))
                                .asType(MethodType.methodType(boolean.class, type().parameterType(0)));
                        chain = MethodHandles.guardWithTest(test, handles.get(i), chain);
                    }
                    setTarget(chain);
                }
            }
            return forK.invokeWithArguments(args);
        }

        /**
         * The body of the method that {@code invokevirtual} or {@code invokeinterface} selects for a receiver of
         * class {@code k} (JVMS 5.4.6), when it is a woven {@code @Async} method; {@code null} when it is not, or
         * when the selection is anything but plain (then the generic path lets the JVM select).
         */
        private MethodHandle selected(Class<?> k) {
            try {
                for (Class<?> c = k; c != null; c = c.getSuperclass()) {
                    Method m = declared(c);
                    if (m == null) {
                        if (c == declaring) {
                            return null;
                        }
                        continue;
                    }
                    int cm = m.getModifiers();
                    if (Modifier.isStatic(cm) || Modifier.isPrivate(cm) || Modifier.isAbstract(cm) || m.isBridge()
                            || m.isSynthetic()) {
                        return null;
                    }
                    if (c != declaring && (declaring.isInterface() ? !Modifier.isPublic(cm)
                            : !Modifier.isPublic(mods) && !Modifier.isProtected(mods))) {
                        return null; // package-private overriding rules: let the JVM decide
                    }
                    return body(caller, c, name, params, false);
                }
                return defaultMethod(k);
            } catch (LinkageError | RuntimeException e) { // whatever is unclear: the JVM selects, on the generic path
                return null;
            }
        }

        /**
         * No class declares the method: the JVM selects the maximally specific superinterface method (JVMS
         * 5.4.3.3). Only the plainest case goes direct: exactly one of {@code k}'s superinterfaces declares an
         * instance method {@code name(params)} at all, and it is a default method (woven: then its body). Two
         * declarations (a default overridden in a subinterface, two unrelated defaults, an abstract
         * redeclaration) leave the selection to the JVM, on the generic path.
         */
        private MethodHandle defaultMethod(Class<?> k) {
            java.util.Set<Class<?>> interfaces = new java.util.LinkedHashSet<>();
            for (Class<?> c = k; c != null; c = c.getSuperclass()) {
                addInterfaces(c, interfaces);
            }
            Class<?> found = null;
            for (Class<?> i : interfaces) {
                Method m = declared(i);
                if (m == null || Modifier.isStatic(m.getModifiers()) || Modifier.isPrivate(m.getModifiers())) {
                    continue; // static and private interface methods are never selected
                }
                if (found != null || Modifier.isAbstract(m.getModifiers()) || m.isBridge() || m.isSynthetic()) {
                    return null;
                }
                found = i;
            }
            return found == null ? null : body(caller, found, name, params, false);
        }

        private static void addInterfaces(Class<?> c, java.util.Set<Class<?>> into) {
            for (Class<?> i : c.getInterfaces()) {
                if (into.add(i)) {
                    addInterfaces(i, into);
                }
            }
        }

        /**
         * {@code c}'s own method {@code name(params)} returning {@code Coroutine}, or {@code null}. The JVM matches
         * descriptors, that is names of types: a method whose types have the same names but are other classes (of
         * another class loader) makes the selection unclear, and throws.
         */
        private Method declared(Class<?> c) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.getName().equals(name) || m.getParameterCount() != params.length
                        || !m.getReturnType().getName().equals(Coroutine.class.getName())) {
                    continue;
                }
                Class<?>[] p = m.getParameterTypes();
                boolean sameNames = true;
                for (int i = 0; i < p.length && sameNames; i++) {
                    sameNames = p[i].getName().equals(params[i].getName());
                }
                if (sameNames) {
                    if (m.getReturnType() != Coroutine.class || !Arrays.equals(p, params)) {
                        throw new IllegalStateException("same descriptor, other classes: " + m);
                    }
                    return m;
                }
            }
            return null;
        }
    }
}
