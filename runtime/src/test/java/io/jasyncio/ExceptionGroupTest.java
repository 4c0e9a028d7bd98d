package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ExceptionGroup's split and subgroup, against what Python 3.11 prints for the same groups. */
class ExceptionGroupTest {
    private final IllegalArgumentException value = new IllegalArgumentException("1");
    private final IllegalStateException type = new IllegalStateException("2");
    private final ExceptionGroup group = new ExceptionGroup("unhandled errors in a TaskGroup", List.of(value, type));

    @Test
    void message_countsTheSubExceptionsAsPythonDoes() {
        // python3: str(ExceptionGroup("unhandled errors in a TaskGroup", [ValueError(1), TypeError(2)]))
        //   unhandled errors in a TaskGroup (2 sub-exceptions)
        assertEquals("unhandled errors in a TaskGroup (2 sub-exceptions)", group.getMessage());
        assertEquals("x (1 sub-exception)", new ExceptionGroup("x", List.of(value)).getMessage());
        assertEquals("unhandled errors in a TaskGroup", group.groupMessage());
        assertEquals(List.of(value, type), group.exceptions());
    }

    @Test
    void split_byType_keepsTheOrderAndTheMessage() {
        ExceptionGroup.Split s = group.split(IllegalArgumentException.class);
        assertEquals(List.of(value), s.matched().exceptions());
        assertEquals(List.of(type), s.rest().exceptions());
        assertEquals("unhandled errors in a TaskGroup (1 sub-exception)", s.matched().getMessage());
        assertSame(group.getStackTrace()[0], s.matched().getStackTrace()[0]);
    }

    @Test
    void split_matchingTheGroupItself_isTheGroup() {
        // python3: m, r = e.split(Exception); m is e, r  ->  True None
        ExceptionGroup.Split s = group.split(RuntimeException.class);
        assertSame(group, s.matched());
        assertNull(s.rest());
    }

    @Test
    void split_matchingNothing_hasNoMatchedPart() {
        ExceptionGroup.Split s = group.split(IOException.class);
        assertNull(s.matched());
        assertEquals(List.of(value, type), s.rest().exceptions());
    }

    @Test
    void subgroup_searchesNestedGroupsAndKeepsTheNesting() {
        IOException io = new IOException("3");
        ExceptionGroup nested = new ExceptionGroup("outer", List.of(group, io));
        ExceptionGroup sub = nested.subgroup(e -> e instanceof IllegalStateException);
        assertEquals(1, sub.exceptions().size());
        ExceptionGroup inner = (ExceptionGroup) sub.exceptions().get(0);
        assertEquals(List.of(type), inner.exceptions());
        assertNull(nested.subgroup(e -> e instanceof ArithmeticException));
        assertSame(nested, nested.subgroup(e -> true));
        ExceptionGroup.Split s = nested.split(IOException.class);
        assertEquals(List.of(io), s.matched().exceptions());
        assertEquals(List.of(value, type), ((ExceptionGroup) s.rest().exceptions().get(0)).exceptions());
    }

    @Test
    void constructor_refusesAnEmptyListAndNulls() {
        assertThrows(IllegalArgumentException.class, () -> new ExceptionGroup("x", List.of()));
        assertThrows(NullPointerException.class, () -> new ExceptionGroup("x", java.util.Arrays.asList(value, null)));
    }
}
