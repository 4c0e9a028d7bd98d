package io.jasyncio;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A variable whose value depends on the task (more exactly, the {@link Context}) that reads it; Python's
 * {@code contextvars.ContextVar}. Typical use: a request id set once by the task that handles a request and read
 * by everything it awaits, without passing it along.
 * <pre>{@code
 * static final ContextVar<String> REQUEST = new ContextVar<>("request");
 *
 * @Async Coroutine<Void> handle(String id) {
 *     REQUEST.set(id);             // seen by what this task awaits and the tasks it creates
 *     await(process());
 *     return done();
 * }
 * }</pre>
 * Declare variables once (as {@code static final} fields): a context keeps every variable set in it.
 *
 * @param <T> the type of the value
 */
public final class ContextVar<T> {
    private static final Object MISSING = new Object();

    private final String name;
    private final T defaultValue;
    private final boolean hasDefault;

    /**
     * Creates a variable without a default: {@link #get()} throws while it is not set.
     *
     * @param name its name, for messages
     */
    public ContextVar(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = null;
        this.hasDefault = false;
    }

    /**
     * Creates a variable with a default, which {@link #get()} returns while it is not set.
     *
     * @param name its name, for messages
     * @param defaultValue the default (may be {@code null})
     */
    public ContextVar(String name, T defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
        this.hasDefault = true;
    }

    /** {@return the variable's name} */
    public String getName() {
        return name;
    }

    /**
     * The value in the current context, or else the default.
     *
     * @return the value
     * @throws NoSuchElementException if the variable is not set and has no default
     */
    public T get() {
        Object[] v = Context.currentValues();
        int i = Context.indexOf(v, this);
        if (i >= 0) {
            @SuppressWarnings("unchecked") T t = (T) v[i + 1];
            return t;
        }
        if (hasDefault) {
            return defaultValue;
        }
        throw new NoSuchElementException("ContextVar '" + name + "' is not set in the current context and has no default");
    }

    /**
     * The value in the current context, or else {@code fallback} (which takes precedence over the default, as in
     * Python's {@code get(default)}).
     *
     * @param fallback what to return when the variable is not set
     * @return the value or {@code fallback}
     */
    public T get(T fallback) {
        Object[] v = Context.currentValues();
        int i = Context.indexOf(v, this);
        if (i >= 0) {
            @SuppressWarnings("unchecked") T t = (T) v[i + 1];
            return t;
        }
        return fallback;
    }

    /**
     * Sets the value in the current context.
     *
     * @param value the new value (may be {@code null})
     * @return a token for {@link #reset(Token)}, which restores the value this call replaced
     */
    public Token<T> set(T value) {
        Context c = Context.current();
        Object[] v = c.values;
        int i = Context.indexOf(v, this);
        Object old = i >= 0 ? v[i + 1] : MISSING;
        c.values = Context.with(v, this, value);
        return new Token<>(this, c, old);
    }

    /**
     * Restores the value that the {@link #set} which returned {@code token} replaced (or unsets the variable).
     *
     * @param token the token of a {@code set} of this variable in the current context
     * @throws IllegalStateException if the token was used already
     * @throws IllegalArgumentException if the token belongs to another variable or was made in another context
     */
    public void reset(Token<T> token) {
        Objects.requireNonNull(token, "token");
        if (token.used) {
            throw new IllegalStateException(token + " has already been used once");
        }
        if (token.var != this) {
            throw new IllegalArgumentException(token + " was created by a different ContextVar than " + this);
        }
        Context c = Context.current();
        if (token.context != c) {
            throw new IllegalArgumentException(token + " was created in a different Context");
        }
        c.values = token.old == MISSING ? Context.without(c.values, this) : Context.with(c.values, this, token.old);
        token.used = true;
    }

    @Override
    public String toString() {
        return "<ContextVar name='" + name + "'" + (hasDefault ? " default=" + defaultValue : "") + ">";
    }

    /**
     * What {@link ContextVar#set} returns: enough to undo it with {@link ContextVar#reset(Token)}, once.
     *
     * @param <T> the variable's type
     */
    public static final class Token<T> {
        private final ContextVar<T> var;
        private final Context context;
        private final Object old;
        private boolean used;

        Token(ContextVar<T> var, Context context, Object old) {
            this.var = var;
            this.context = context;
            this.old = old;
        }

        /** {@return the variable that was set} */
        public ContextVar<T> getVar() {
            return var;
        }

        /** {@return whether the variable had a value before the {@code set}} */
        public boolean hadValue() {
            return old != MISSING;
        }

        /** {@return the value before the {@code set}, or {@code null} if there was none} */
        public T oldValue() {
            @SuppressWarnings("unchecked") T t = old == MISSING ? null : (T) old;
            return t;
        }

        @Override
        public String toString() {
            return "<Token var=" + var + (used ? " used" : "") + ">";
        }
    }
}
