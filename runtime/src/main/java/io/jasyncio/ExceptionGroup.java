package io.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Several exceptions thrown together; Python's {@code ExceptionGroup}. A {@link TaskGroup} throws one when its
 * children (or its body) failed: {@link #exceptions()} lists the children's failures in the order they happened,
 * the body's own failure last. Cancellations are never in it.
 *
 * <p>Handle one kind and rethrow the rest, as Python's {@code except*} does:
 * <pre>{@code
 * try {
 *     await(taskGroup(tg -> { ... }));
 * } catch (ExceptionGroup eg) {
 *     ExceptionGroup.Split s = eg.split(IOException.class);
 *     if (s.matched() != null) { ... handle the I/O failures ... }
 *     if (s.rest() != null) throw s.rest();
 * }
 * }</pre>
 *
 * <p>Nested groups are searched recursively by {@link #split} and {@link #subgroup}, which keep the nesting. The
 * message reads as Python's: {@code "unhandled errors in a TaskGroup (2 sub-exceptions)"}; {@link #groupMessage()}
 * is the message without the count.
 */
public class ExceptionGroup extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String groupMessage;
    /** An array, not a {@code List}: the field of a serializable class must be serializable. */
    private final Throwable[] exceptions;

    /**
     * Creates a group.
     *
     * @param message what the exceptions have in common
     * @param exceptions the exceptions, at least one, none {@code null}
     * @throws IllegalArgumentException if {@code exceptions} is empty
     */
    public ExceptionGroup(String message, List<? extends Throwable> exceptions) {
        super(Objects.requireNonNull(message, "message") + " (" + exceptions.size()
                + (exceptions.size() == 1 ? " sub-exception)" : " sub-exceptions)"));
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("an ExceptionGroup needs at least one exception");
        }
        this.groupMessage = message;
        this.exceptions = List.copyOf(exceptions).toArray(new Throwable[0]); // List.copyOf refuses nulls
    }

    /** {@return the message given at creation, without the count of exceptions} */
    public String groupMessage() {
        return groupMessage;
    }

    /** {@return the exceptions, in order; unmodifiable} */
    public List<Throwable> exceptions() {
        return List.of(exceptions);
    }

    /**
     * Splits the group into the exceptions that are instances of {@code type} and the rest.
     *
     * @param type the exception type to match
     * @return the two parts; a group that matches as a whole is {@code matched()} itself
     */
    public Split split(Class<? extends Throwable> type) {
        Objects.requireNonNull(type, "type");
        return split(type::isInstance);
    }

    /**
     * Splits the group into the exceptions that satisfy {@code condition} and the rest. The condition is asked of
     * this group first, then of each exception; a nested group is split in turn (unless it matches as a whole).
     *
     * @param condition the test
     * @return the two parts, each {@code null} when empty
     */
    public Split split(Predicate<? super Throwable> condition) {
        Objects.requireNonNull(condition, "condition");
        if (condition.test(this)) {
            return new Split(this, null);
        }
        List<Throwable> matched = new ArrayList<>();
        List<Throwable> rest = new ArrayList<>();
        for (Throwable e : exceptions) { // the array
            if (e instanceof ExceptionGroup) {
                Split s = ((ExceptionGroup) e).split(condition);
                if (s.matched != null) {
                    matched.add(s.matched);
                }
                if (s.rest != null) {
                    rest.add(s.rest);
                }
            } else if (condition.test(e)) {
                matched.add(e);
            } else {
                rest.add(e);
            }
        }
        return new Split(matched.isEmpty() ? null : derive(matched), rest.isEmpty() ? null : derive(rest));
    }

    /**
     * The exceptions that satisfy {@code condition}, nesting kept; Python's {@code subgroup}.
     *
     * @param condition the test, asked of this group, of each exception and of each nested group
     * @return this group if it matches as a whole, a new group of the matching exceptions, or {@code null}
     */
    public ExceptionGroup subgroup(Predicate<? super Throwable> condition) {
        return split(condition).matched();
    }

    /**
     * The exceptions that are instances of {@code type}, nesting kept.
     *
     * @param type the exception type to match
     * @return this group if it matches as a whole, a new group of the matching exceptions, or {@code null}
     */
    public ExceptionGroup subgroup(Class<? extends Throwable> type) {
        Objects.requireNonNull(type, "type");
        return subgroup(type::isInstance);
    }

    /**
     * Makes a group of the same kind and message holding {@code exceptions}; {@link #split} and
     * {@link #subgroup} call it for their parts, which then get this group's stack trace and cause. Subclasses
     * override it to keep their own type.
     *
     * @param exceptions the exceptions of the new group
     * @return the new group
     */
    public ExceptionGroup derive(List<? extends Throwable> exceptions) {
        ExceptionGroup g = new ExceptionGroup(groupMessage, exceptions);
        g.setStackTrace(getStackTrace());
        if (getCause() != null) {
            g.initCause(getCause());
        }
        return g;
    }

    /** The two parts of {@link #split}: each is {@code null} when no exception went there. */
    public static final class Split {
        private final ExceptionGroup matched;
        private final ExceptionGroup rest;

        Split(ExceptionGroup matched, ExceptionGroup rest) {
            this.matched = matched;
            this.rest = rest;
        }

        /** {@return the group of the exceptions that matched, or {@code null}} */
        public ExceptionGroup matched() {
            return matched;
        }

        /** {@return the group of the other exceptions, or {@code null}} */
        public ExceptionGroup rest() {
            return rest;
        }

        @Override
        public String toString() {
            return "Split[matched=" + matched + ", rest=" + rest + "]";
        }
    }
}
